/** Pages a web server or 1C's web extension answers with instead of OData. */

const page = (title: string, text: string): string =>
  [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${title}</title></head>`,
    `<body><h1>${title}</h1><p>${text}</p></body></html>`,
  ].join("\n");

/** IIS refuses a query string over maxQueryString (reference onec §1.5). */
export const IIS_NOT_FOUND_PAGE = page(
  "404 - File or directory not found.",
  "The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.",
);

/** A web server whose 1C server behind it is stopped. */
export const SERVICE_UNAVAILABLE_PAGE = page(
  "503 Service Unavailable",
  "The server is temporarily unable to service your request.",
);

/** A publication path that is not an OData point (reference onec §1.3). */
export const HTTP_NOT_FOUND_TEXT = "HTTP: Not found";

/** Wrong or missing Basic credentials. */
export const UNAUTHORIZED_TEXT = "Unauthorized";

/** On auth trouble 1C may answer 200 with a login page (reference onec §1.2). */
export const LOGIN_PAGE = [
  "<!DOCTYPE html>",
  '<html><head><meta charset="utf-8"><title>1С:Предприятие</title></head>',
  '<body><form method="post"><label>Пользователь <input name="user"></label>',
  '<label>Пароль <input name="password" type="password"></label>',
  "<button>Войти</button></form></body></html>",
].join("\n");
