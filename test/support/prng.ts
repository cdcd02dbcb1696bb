/** The emulator's seeded generator (mulberry32): the same sequence on every machine, for property and fuzz tests. */
export { seededRandom as prng } from '../../src/emulator/faults.js';
