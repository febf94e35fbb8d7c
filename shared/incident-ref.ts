// How an incident is named (docs/team.md, "Incident numbers once shared"). Numbers stay local;
// once shared, the first 8 hex digits of the incident's UUID follow the number, because the
// same incident has another number on every other laptop and "the 3f9a one" is what two
// responders can say to each other.

/** `INC-0007`: the local number. */
export function incidentNumber(id: number): string {
  return `INC-${String(id).padStart(4, '0')}`;
}

/** `3f9a2c1b`: what names a shared incident across laptops. */
export function shortGlobalId(uid: string): string {
  return uid.replace(/-/g, '').slice(0, 8);
}

/** `INC-0007 · 3f9a2c1b` for a shared incident, the plain `INC-0007` otherwise. */
export function incidentRef(id: number, sharedUid?: string | null): string {
  return sharedUid ? `${incidentNumber(id)} · ${shortGlobalId(sharedUid)}` : incidentNumber(id);
}
