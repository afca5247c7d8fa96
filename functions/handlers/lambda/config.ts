import defaultConfig from '../../../docroute.config.json' with { type: 'json' };
import { parseConfig } from '../../domain/config.ts';
import { type DepFactory, once } from './factory.ts';

/** The configuration bundled at synthesis (docroute.config.json), validated once per container. */
export const config: DepFactory<'config'> = once(() => parseConfig(defaultConfig));
