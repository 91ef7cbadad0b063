// SPDX-License-Identifier: EUPL-1.2
// What the middleware hands to routes: the staff member behind the request, set for staff paths only.
import type { Sheet } from './server/invitations/print.ts';
import type { StaffContext } from './server/staff/session.ts';

declare global {
  namespace App {
    interface Locals {
      /** set by the staff gate (src/server/staff/access.ts) on /staff and /api/v1/staff paths */
      staff?: StaffContext;
      /** the login form's CSRF token, on GET /staff/login */
      staffLoginCsrf?: string;
      /** why the gate refused a staff form post (src/pages/staff/geweigerd.astro) */
      staffRefusal?: 403 | 413;
      /** the QR sheet the invitation API hands to its page (src/pages/api/v1/uitnodigingen/batches/[id]/qr.astro) */
      qrSheet?: Sheet;
    }
  }
}

export {};
