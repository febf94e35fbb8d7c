import type { ComponentType } from 'react';
import { IncidentsScreen } from './incidents/IncidentsScreen';
import { SystemScreen } from './system/SystemScreen';
import { DashboardScreen } from './dashboard/DashboardScreen';
import { ContactsScreen } from './contacts/ContactsScreen';
import { RisksScreen } from './risks/RisksScreen';
import { TargetsScreen } from './targets/TargetsScreen';
import { TeamScreen } from './team/TeamScreen';

export interface Screen {
  readonly id: string;
  /** i18n key of its name in the top bar. */
  readonly label: string;
  readonly Component: ComponentType;
}

/** Top-level screens, in top-bar order; each feature that needs one adds it here. */
export const SCREENS: readonly Screen[] = [
  { id: 'incidents', label: 'screens.incidents', Component: IncidentsScreen },
  { id: 'system', label: 'monitor.screen', Component: SystemScreen },
  { id: 'dashboard', label: 'dashboard.screen', Component: DashboardScreen },
  { id: 'contacts', label: 'contacts.screen', Component: ContactsScreen },
  { id: 'risks', label: 'risks.screen', Component: RisksScreen },
  { id: 'targets', label: 'targets.screen', Component: TargetsScreen },
  { id: 'team', label: 'team.screen', Component: TeamScreen },
];
