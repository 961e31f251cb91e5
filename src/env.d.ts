declare namespace App {
  interface Locals {
    /** The recruiter the inbox let in (src/middleware.ts); absent outside the inbox. */
    recruiter?: import('#functions/recruiters/access.ts').RecruiterIdentity;
  }
}
