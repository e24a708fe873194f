import { Option } from 'commander';
import { ENVIRONMENTS } from '../plan/index.js';

export const envOption = () =>
  new Option('-e, --env <env>', 'environment profile to apply').choices(ENVIRONMENTS).default('dev');

export const jsonOption = () => new Option('--json', 'print one JSON document on stdout and nothing else');
