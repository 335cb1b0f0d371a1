/**
 * An answer of 1C's OData layer with an internal error code (reference onec
 * §1.11): the HTTP status, the code as 1C sends it (a string) and the Russian
 * message.
 */
export class OdataError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = "OdataError";
    this.status = status;
    this.code = code;
  }
}

export const badRequestFormat = (detail: string): OdataError =>
  new OdataError(400, "2", `Неверный формат запроса: ${detail}`);

export const invalidPropertyValue = (property: string): OdataError =>
  new OdataError(400, "4", `Неверное значение свойства "${property}"`);

export const requiredPropertyMissing = (property: string): OdataError =>
  new OdataError(
    400,
    "5",
    `Не указано значение обязательного свойства "${property}"`,
  );

export const invalidUrl = (): OdataError =>
  new OdataError(400, "6", "Неверный URL ресурса");

export const entityTypeNotFound = (): OdataError =>
  new OdataError(404, "8", "Тип сущности не найден");

export const entityNotFound = (): OdataError =>
  new OdataError(404, "9", "Экземпляр сущности не найден");

export const methodNotFound = (method: string): OdataError =>
  new OdataError(400, "11", `Метод не найден: ${method}`);

export const tabularRowsCreation = (): OdataError =>
  new OdataError(
    400,
    "13",
    "Создание строк табличной части напрямую не поддерживается",
  );

export const queryParseError = (detail: string): OdataError =>
  new OdataError(400, "14", `Ошибка разбора параметров запроса: ${detail}`);

export const entityAlreadyExists = (): OdataError =>
  new OdataError(400, "15", "Сущность с таким ключом уже существует");

export const accessDenied = (): OdataError =>
  new OdataError(403, "20", "Ошибка прав доступа");

export const httpMethodNotAllowed = (): OdataError =>
  new OdataError(405, "19", "Метод HTTP не допустим для данного ресурса");

export const unsupportedFunction = (detail: string): OdataError =>
  new OdataError(400, "21", detail);

/** Code -1: a handler of the configuration refused the operation (HTTP 500). */
export const businessError = (message: string): OdataError =>
  new OdataError(500, "-1", message);

export function renderJsonError(error: OdataError): string {
  return JSON.stringify({
    "odata.error": {
      code: error.code,
      message: { lang: "ru", value: error.message },
    },
  });
}

export function renderXmlError(error: OdataError): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<m:error xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
    `<m:code>${escapeXml(error.code)}</m:code>`,
    `<m:message xml:lang="ru">${escapeXml(error.message)}</m:message>`,
    "</m:error>",
  ].join("\n");
}

export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
