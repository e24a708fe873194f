export { McError } from './mc-error.js';
