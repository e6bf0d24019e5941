/**
 * Outgoing e-mail through a real SMTP server (nodemailer, pooled). SMTP_URL names the server
 * (smtp://user:pass@host:587, smtps://… for implicit TLS); without it nothing can be sent and
 * deliveries fail visibly instead of pretending.
 */
import nodemailer from 'nodemailer';

export type MailMessage = { to: string; subject: string; text: string; html?: string; headers?: Record<string, string> };
export type Mailer = { send(message: MailMessage): Promise<{ messageId: string }>; close(): void };

export function smtpMailer(options: { url: string; from: string }): Mailer {
  // Options ride in the connection URL (nodemailer reads them); a pool keeps a burst of alerts on one connection.
  const url = new URL(options.url);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  const transport = nodemailer.createTransport(url.toString(), { from: options.from });
  return {
    async send(message) {
      const info = await transport.sendMail({ from: options.from, ...message });
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}
