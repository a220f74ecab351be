/**
 * GET /v1/cards/{id}, /v1/vouchers/{id}, /v1/points/{lotId} (contract §4): the item, its expiry
 * sequences (newest first: each renewal of a card starts one) and the messages about it, as
 * GET /v1/invoices/{id} shows an invoice's.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, RelanceError } from '../domain/errors';
import type { Sql } from '../store/db';
import {
  getItem,
  ITEM_SEQUENCE_TYPES,
  renewalsOfItem,
  type Item,
  type ItemKind,
  type ItemRenewal,
} from '../store/item-repository';
import { messagesAbout } from '../store/ledger-repository';
import { sequencesOfSubject } from '../store/sequence-repository';
import { cardView, pointsLotView, voucherView } from './item-views';
import { messageView, sequenceView } from './views';

interface ItemRoute {
  kind: ItemKind;
  url: string;
  param: string;
  /** The key of the item in the answer, and its name in a 404. */
  key: string;
  noun: string;
  view: (item: Item, renewals: readonly ItemRenewal[]) => Record<string, unknown>;
}

const ROUTES: readonly ItemRoute[] = [
  { kind: 'card', url: '/v1/cards/:id', param: 'id', key: 'card', noun: 'card', view: cardView },
  {
    kind: 'voucher',
    url: '/v1/vouchers/:id',
    param: 'id',
    key: 'voucher',
    noun: 'voucher',
    view: voucherView,
  },
  {
    kind: 'points',
    url: '/v1/points/:lotId',
    param: 'lotId',
    key: 'lot',
    noun: 'lot of points',
    view: pointsLotView,
  },
];

/** What a person may read about an item: the roles that post its events, and the agents. */
const ACCESS = ['finance', 'marketing', 'agent'] as const;

export function registerItemRoutes(app: FastifyInstance, db: Sql): void {
  for (const route of ROUTES) {
    app.get<{ Params: Record<string, string> }>(
      route.url,
      { config: { access: ACCESS } },
      async (request) => {
        const id = request.params[route.param] ?? '';
        return itemAnswer(db, route, id);
      },
    );
  }
}

async function itemAnswer(db: Sql, route: ItemRoute, id: string) {
  const item = await getItem(db, route.kind, id);
  if (!item) throw new RelanceError(ErrorCode.NotFound, `No ${route.noun} "${id}"`);
  const type = ITEM_SEQUENCE_TYPES[route.kind];
  const [sequences, messages, renewals] = await Promise.all([
    sequencesOfSubject(db, type, item.id),
    messagesAbout(db, item.id),
    renewalsOfItem(db, item.kind, item.id),
  ]);
  return {
    [route.key]: route.view(item, renewals),
    sequence: sequences[0] ? sequenceView(sequences[0]) : null,
    sequences: sequences.map(sequenceView),
    // An invoice may carry the same id: only the messages of this kind's sequences are about it.
    messages: messages.filter((m) => m.sequenceType === type).map(messageView),
  };
}
