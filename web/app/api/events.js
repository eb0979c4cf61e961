// Live events (SPEC §3.6, §4): the server-sent event stream the dashboard listens to.

// GET /api/v1/events (SPEC §4): the address of the stream, for an EventSource.
export const streamUrl = () => '/api/v1/events';
