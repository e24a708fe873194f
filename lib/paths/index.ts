export { mcHome } from './mc-home.js';
export { packagePath, packageRoot } from './package-root.js';
