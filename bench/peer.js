// bench/peer.js: the benchmark's peer, PostGraphile 4 in library mode over market_peer (bench/peer.sh).
// Each request is PostGraphile's own transaction: its pgSettings put X-Market into the setting that
// bench/peer-policies.sql reads. Environment: PEER_PORT (18090), PEER_DB (market_peer).
const http = require('http');
const { Pool } = require('pg');
const { postgraphile } = require('postgraphile');

// 10 connections kept open, as the server's Hikari pool (DB_POOL_SIZE 10) keeps its own
const pool = new Pool({
    host: '127.0.0.1', port: 5432, user: 'peer_user', database: process.env.PEER_DB || 'market_peer',
    max: 10, idleTimeoutMillis: 0,
});
const handler = postgraphile(pool, 'public', {
    pgSettings: req => ({ 'jwt.claims.market': req.headers['x-market'] || '' }),
    // the options PostGraphile's documentation gives for production, minus what a read-only peer does not serve
    disableQueryLog: true,
    graphiql: false,
    ignoreRBAC: false,
    disableDefaultMutations: true,
    setofFunctionsContainNulls: false,
    retryOnInitFail: false,
});
http.createServer(handler).listen(Number(process.env.PEER_PORT || 18090), '127.0.0.1');
