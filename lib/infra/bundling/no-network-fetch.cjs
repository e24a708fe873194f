// Stands in for make-fetch-happen in the Lambda bundles. @sigstore/sign needs it only to reach
// Fulcio, Rekor and timestamp authorities (keyless signing), which the platform functions never
// do: they sign with the KMS key. Keeping it out keeps each bundle under 1 MB.
module.exports = function fetch(url) {
  throw new Error(`the platform functions make no network calls outside AWS (asked for ${url})`);
};
