/**
 * The links in e-mails, without a token (the signed link is the credential): `GET /v1/email/confirm`,
 * `GET /v1/email/unsubscribe` (a page whose button POSTs) and `POST /v1/email/unsubscribe`
 * (RFC 8058 one-click, the body `List-Unsubscribe=One-Click`).
 */
import { logger } from '@herald/shared/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { confirmEmail, unsubscribeEmail, type EmailLinkDeps } from '../subscriptions/email-confirmation';
import { linkOutcomePage, unsubscribeFormPage, type Page } from '../subscriptions/email-confirmation-pages';
import { emailLinkDeps } from '../wiring';

const html = ({ statusCode, html: body }: Page): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; form-action 'self'",
  },
  body,
});

const refused = html(linkOutcomePage({ outcome: 'refused', reason: 'malformed' }));

function bodyText(event: APIGatewayProxyEventV2): string {
  if (!event.body) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

export function createHandler(deps: () => EmailLinkDeps) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const token = event.queryStringParameters?.token;
    if (!token) return refused;
    const method = event.requestContext.http.method;
    const path = event.rawPath;
    if (path.endsWith('/confirm') && method === 'GET') {
      const result = await confirmEmail(token, deps());
      logger.info('E-mail confirmation link followed', {
        outcome: result.outcome,
        ...('reason' in result ? { reason: result.reason } : {}),
      });
      return html(linkOutcomePage(result));
    }
    if (path.endsWith('/unsubscribe') && method === 'GET') return html(unsubscribeFormPage(token));
    if (path.endsWith('/unsubscribe') && method === 'POST') {
      if (!new URLSearchParams(bodyText(event)).has('List-Unsubscribe')) return refused;
      const result = await unsubscribeEmail(token, deps());
      logger.info('E-mail unsubscribe link used', {
        outcome: result.outcome,
        ...('reason' in result ? { reason: result.reason } : {}),
      });
      return html(linkOutcomePage(result));
    }
    return { statusCode: 405, body: '' };
  };
}

export const handler = createHandler(emailLinkDeps);
