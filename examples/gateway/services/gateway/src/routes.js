// Path prefix → upstream base URL. `/orders` and `/orders/...` match `/orders`; `/ordersx` does not.
export function routesFromEnv(env = process.env) {
  const routes = { '/orders': env.ORDERS_URL, '/users': env.USERS_URL };
  for (const [prefix, url] of Object.entries(routes)) {
    if (!url) throw new RangeError(`set ${prefix.slice(1).toUpperCase()}_URL to the upstream of ${prefix}`);
    if (new URL(url).protocol !== 'http:') {
      throw new RangeError(`upstream of ${prefix} must be an http:// URL`);
    }
  }
  return routes;
}

// The upstream URL for a request path (path and query kept), or undefined when no route matches.
export function resolveUpstream(routes, path) {
  // Normalise first, so "/orders/../admin" is matched (and refused) as "/admin".
  const { pathname, search } = new URL(path, 'http://gateway');
  for (const [prefix, base] of Object.entries(routes)) {
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) return new URL(pathname + search, base);
  }
  return undefined;
}
