// `npm start` runs this before migrating: an unusable environment (e.g. a shared database without
// NEXTAUTH_SECRET / PORTAL_SECRET_KEY) stops here with one message, before any database is touched.
import "../lib/env";
