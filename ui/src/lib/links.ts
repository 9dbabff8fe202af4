// Links to a provider's pages ("turn on IMAP here"): opened in the system browser, never in the
// app's window, and only when they are web pages. The engine checks the scheme again before it
// starts a browser (`inlet_core::oauth::web_link`).

/** The address to open, or null when it is not an http or https page (javascript:, file:, data:…). */
export function webLink(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
}
