/** Where amoCRM sends authorization codes; also the integration's Redirect URI. */
export const OAUTH_CALLBACK_PATH = "/amocrm/oauth/callback";

export function redirectUriOf(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, "")}${OAUTH_CALLBACK_PATH}`;
}
