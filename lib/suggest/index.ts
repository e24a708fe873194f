export { closestMatch, didYouMean } from './suggest.js';
