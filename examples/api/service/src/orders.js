// In-memory order book: the domain logic, kept apart from HTTP so tests can call it directly.
export class Orders {
  #orders = new Map();
  #next = 1;

  create({ item, quantity }) {
    if (typeof item !== 'string' || item.trim() === '')
      throw new RangeError('item must be a non-empty string');
    if (!Number.isInteger(quantity) || quantity < 1)
      throw new RangeError('quantity must be a positive integer');
    const order = { id: String(this.#next++), item: item.trim(), quantity, status: 'open' };
    this.#orders.set(order.id, order);
    return order;
  }

  get(id) {
    return this.#orders.get(id);
  }

  list() {
    return [...this.#orders.values()];
  }
}
