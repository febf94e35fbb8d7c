/** INC-0012, as the incident list shows it. */
export const formatIncidentRefShort = (id: number) => `INC-${String(id).padStart(4, '0')}`;
