// How a stored message reads when it is sent or shown: the same text in an
// email, a Slack message and the admin's outbox view.

export function absoluteLink(baseUrl: string, link: string | null): string | null {
  return link ? new URL(link, baseUrl).toString() : null;
}

/** The body, then the link (made absolute with the app's URL) on its own line. */
export function messageText(message: { body: string; link: string | null }, baseUrl: string): string {
  const link = absoluteLink(baseUrl, message.link);
  return link ? `${message.body}\n\n${link}` : message.body;
}
