// Public shapes of the evidence service: plain data defined in shared/evidence.ts, so the
// renderer can use them without importing anything from electron/.
export type * from '../../../shared/evidence';
