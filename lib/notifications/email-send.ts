import nodemailer from "nodemailer";

// Email over SMTP. One transport per delivery run; its timeouts bound a
// server that accepts the connection and then stalls.

export interface Mailer {
  send(message: { to: string; subject: string; text: string; messageId: string }): Promise<void>;
  close(): void;
}

export function createMailer(smtp: { url: string; from: string }): Mailer {
  const transport = nodemailer.createTransport({
    url: smtp.url,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send({ to, subject, text, messageId }) {
      await transport.sendMail({ from: smtp.from, to, subject, text, messageId });
    },
    close() {
      transport.close();
    },
  };
}
