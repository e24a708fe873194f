// Fixed-window rate limiter keyed by client: at most `limit` requests per `windowMs`.
export class RateLimiter {
  #windows = new Map();

  constructor({ limit = 60, windowMs = 60_000, now = Date.now } = {}) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!Number.isInteger(windowMs) || windowMs < 1) {
      throw new RangeError('windowMs must be a positive integer');
    }
    this.limit = limit;
    this.windowMs = windowMs;
    this.now = now;
  }

  // Counts one request from `key`; says whether it may pass and when the window resets.
  take(key) {
    const now = this.now();
    let window = this.#windows.get(key);
    if (!window || now >= window.resetAt) {
      if (this.#windows.size >= 10_000) this.#prune(now);
      window = { count: 0, resetAt: now + this.windowMs };
      this.#windows.set(key, window);
    }
    window.count += 1;
    const allowed = window.count <= this.limit;
    return {
      allowed,
      remaining: Math.max(0, this.limit - window.count),
      retryAfterMs: allowed ? 0 : window.resetAt - now,
    };
  }

  #prune(now) {
    for (const [key, window] of this.#windows) if (now >= window.resetAt) this.#windows.delete(key);
  }
}
