/**
 * The small HTML pages the e-mail links answer with: people follow these links in a browser, so a
 * refusal is a readable page with a 4xx status, not JSON.
 */
import type { LinkOutcome } from './email-confirmation';

export interface Page {
  statusCode: number;
  html: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(statusCode: number, title: string, body: string): Page {
  return {
    statusCode,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`,
  };
}

const REFUSALS: Record<Extract<LinkOutcome, { outcome: 'refused' }>['reason'], [number, string]> = {
  malformed: [400, 'This link is not complete. Open it from the mail again, or copy it whole.'],
  forged: [400, 'This link is not valid.'],
  'wrong-purpose': [400, 'This link is not valid here.'],
  expired: [410, 'This link has expired. Ask whoever set up the subscription to send a new one.'],
  gone: [410, 'This subscription no longer exists, or its address has changed.'],
  unsubscribed: [409, 'This address was unsubscribed; it cannot be confirmed again with this link.'],
};

export function linkOutcomePage(result: LinkOutcome): Page {
  switch (result.outcome) {
    case 'confirmed':
    case 'already-confirmed':
      return page(
        200,
        'Subscription confirmed',
        '<p>This address will receive the notifications it was subscribed to.</p>',
      );
    case 'unsubscribed':
    case 'already-unsubscribed':
      return page(
        200,
        'Unsubscribed',
        '<p>Nothing more will be sent to this address for this subscription.</p>',
      );
    case 'refused': {
      const [status, text] = REFUSALS[result.reason];
      return page(status, 'This link does not work', `<p>${escape(text)}</p>`);
    }
  }
}

/** What a GET of the unsubscribe link shows: a button that POSTs as RFC 8058's one-click does. */
export function unsubscribeFormPage(token: string): Page {
  return page(
    200,
    'Unsubscribe',
    `<p>Stop receiving these notifications at this address?</p><form method="post" action="?token=${escape(encodeURIComponent(token))}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
  );
}
