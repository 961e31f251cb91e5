/**
 * A floor of `npm run bench` for Worker routes: a Worker with no code of its own to speak of,
 * served with the same static assets as the site, so that its requests pass the same asset
 * routing as ours. It answers every request with its ANSWER variable (status, headers and body
 * of the answer of ours it stands beside, so that both send the same bytes), or, without one,
 * with a constant 302 to `/en/`. Also the bare Worker whose startup the bench profiles.
 * Started by the bench only, never deployed.
 */
interface PageFloorEnv {
  /** JSON of a `FloorAnswer`. */
  ANSWER?: string;
}

/** The answer the floor gives, as the bench captured it from ours. */
export interface FloorAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

// Parsed on the first request: a request costs the floor only its Response.
let answer: FloorAnswer | undefined;

export default {
  fetch(_request, env) {
    if (!env.ANSWER) return new Response(null, { status: 302, headers: { Location: '/en/' } });
    answer ??= JSON.parse(env.ANSWER) as FloorAnswer;
    return new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers: answer.headers });
  },
} satisfies ExportedHandler<PageFloorEnv>;
