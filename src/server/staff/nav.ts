// SPDX-License-Identifier: EUPL-1.2
/**
 * What each role may do, and the staff navigation built from it. Later pages (the reach
 * dashboard, invitations, filling in together on a tablet) plug in here: add the page under
 * src/pages/staff, set `ready: true`, and the menu shows it to the roles that have its permission.
 */
import type { StaffRole } from '../store/staff.ts';
import type { StaffContext } from './session.ts';
import { st } from './texts.ts';

export type Permission = 'queue' | 'reach' | 'invites' | 'together' | 'audit' | 'handoff';

const PERMISSIONS: Record<StaffRole, readonly Permission[]> = {
  caseworker: ['queue', 'together'],
  coordinator: ['queue', 'together', 'reach', 'invites'],
  admin: ['queue', 'together', 'reach', 'invites', 'audit', 'handoff'],
};

export function can(staff: Pick<StaffContext, 'role'>, permission: Permission): boolean {
  return PERMISSIONS[staff.role].includes(permission);
}

export type NavKey = 'queue' | 'today' | 'cases' | 'reach' | 'invites' | 'together' | 'audit' | 'handoff';

export interface NavItem {
  key: NavKey;
  label: string;
  href: string;
  permission: Permission;
  /** false until the page exists: the menu never links to a page that is not there */
  ready: boolean;
}

export const STAFF_NAV: readonly NavItem[] = [
  { key: 'queue', label: st('nav.queue'), href: '/staff', permission: 'queue', ready: true },
  { key: 'today', label: st('nav.today'), href: '/staff/vandaag', permission: 'queue', ready: true },
  { key: 'cases', label: st('nav.cases'), href: '/staff/zaken', permission: 'queue', ready: true },
  { key: 'reach', label: st('nav.reach'), href: '/staff/bereik', permission: 'reach', ready: true },
  { key: 'invites', label: st('nav.invites'), href: '/staff/uitnodigingen', permission: 'invites', ready: true },
  { key: 'together', label: st('nav.together'), href: '/staff/samen', permission: 'together', ready: true },
  { key: 'audit', label: st('nav.audit'), href: '/staff/audit', permission: 'audit', ready: true },
  { key: 'handoff', label: st('nav.handoff'), href: '/staff/overdracht', permission: 'handoff', ready: true },
];

/** The menu this person sees (logging out is always there, as a form of its own). */
export function navFor(staff: Pick<StaffContext, 'role'>): NavItem[] {
  return STAFF_NAV.filter((item) => item.ready && can(staff, item.permission));
}
