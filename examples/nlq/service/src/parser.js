import { tokenize } from './tokenizer.js';

// Rule-based parser: English question → { action, entity, metric?, filters, period? }.
// Words it does not know ("the", "were", "placed") are skipped; a question needs an entity.
export class ParseError extends Error {}

const ACTIONS = phrases({
  'how many': 'count',
  'number of': 'count',
  count: 'count',
  list: 'list',
  show: 'list',
  total: 'sum',
  'sum of': 'sum',
  average: 'avg',
});
const COMPARISONS = phrases({
  'more than': '>',
  'greater than': '>',
  over: '>',
  above: '>',
  'less than': '<',
  under: '<',
  below: '<',
  'at least': '>=',
  'at most': '<=',
  exactly: '=',
});
const ENTITIES = { order: 'orders', product: 'products', customer: 'customers' };
const DEFAULT_FIELD = { orders: 'amount', products: 'price', customers: 'spend' };
const FIELDS = new Set(['amount', 'price', 'quantity', 'spend']);
const STATUSES = new Set(['open', 'shipped', 'cancelled']);
const MONTH_NAMES = 'january february march april may june july august september october november december';
const MONTHS = MONTH_NAMES.split(' ');

export function parseQuestion(text) {
  const tokens = tokenize(text);
  const query = { action: undefined, entity: undefined, metric: undefined, filters: [], period: undefined };
  let field; // the last field named, e.g. "price" in "price under 20"
  for (let i = 0; i < tokens.length; i++) {
    const { type, value } = tokens[i];
    const action = query.action ? undefined : matchPhrase(tokens, i, ACTIONS);
    const comparison = matchPhrase(tokens, i, COMPARISONS);
    const entity = type === 'word' ? ENTITIES[value.replace(/s$/, '')] : undefined;
    if (action) {
      query.action = action.value;
      i += action.words.length - 1;
    } else if (comparison) {
      const number = tokens[i + comparison.words.length];
      if (number?.type !== 'number') {
        throw new ParseError(`"${comparison.words.join(' ')}" needs a number after it`);
      }
      query.filters.push({ field, op: comparison.value, value: number.value });
      i += comparison.words.length;
    } else if (entity) {
      query.entity ??= entity;
    } else if (FIELDS.has(value)) {
      field = value;
      query.metric ??= value;
    } else if (STATUSES.has(value)) {
      query.filters.push({ field: 'status', op: '=', value });
    } else if (MONTHS.includes(value)) {
      query.period = { ...query.period, month: MONTHS.indexOf(value) + 1 };
    } else if (isYear(tokens[i])) {
      query.period = { ...query.period, year: value };
    } else if (type === 'number') {
      throw new ParseError(`cannot tell what ${value} refers to; try "over ${value}" or "under ${value}"`);
    }
  }
  return finish(query);
}

// Fills in defaults and drops what does not apply: only sums and averages have a metric.
function finish({ action = 'list', entity, metric, filters, period }) {
  if (!entity) throw new ParseError('ask about orders, products or customers');
  const fallback = DEFAULT_FIELD[entity];
  return {
    action,
    entity,
    ...(action === 'sum' || action === 'avg' ? { metric: metric ?? fallback } : {}),
    filters: filters.map((filter) => ({ ...filter, field: filter.field ?? fallback })),
    ...(period ? { period } : {}),
  };
}

const isYear = (token) =>
  token.type === 'number' && Number.isInteger(token.value) && token.value >= 1900 && token.value <= 2100;

// A phrase table, longest phrases first so "more than" is tried before any one-word phrase.
function phrases(table) {
  return Object.entries(table)
    .map(([text, value]) => ({ words: text.split(' '), value }))
    .sort((a, b) => b.words.length - a.words.length);
}

function matchPhrase(tokens, i, table) {
  return table.find(({ words }) => words.every((word, k) => tokens[i + k]?.value === word));
}
