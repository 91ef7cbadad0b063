// SPDX-License-Identifier: EUPL-1.2
// What the middleware hands to routes: the staff member behind the request, set for staff paths only.
import type { StaffContext } from './server/staff/session.ts';

declare global {
  namespace App {
    interface Locals {
      /** set by the staff gate (src/server/staff/access.ts) on /staff and /api/v1/staff paths */
      staff?: StaffContext;
      /** the login form's CSRF token, on GET /staff/login */
      staffLoginCsrf?: string;
    }
  }
}

export {};
