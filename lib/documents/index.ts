export type { DocumentFile, DocumentKind } from './document.js';
export { parseDocument, readDocument } from './document.js';
