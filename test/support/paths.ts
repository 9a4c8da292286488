import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url)).replace(/\/$/, '');
export const FIXTURES = `${REPO}/fixtures`;
export const SEED_SPEC = `${FIXTURES}/protonvpn-updater.yaml`;
export const BIN = `${REPO}/bin/pvpn-gen.js`;
