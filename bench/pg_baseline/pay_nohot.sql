-- pgbench script: one payment without the campaign (no hot row).
-- run.sh passes -D customers=N -D merchants=M. Amounts are fen (1 to 500 yuan).
-- The payment id comes from a sequence, so ids never collide between clients or runs.
\set customer random(1, :customers)
\set merchant :customers + random(1, :merchants)
\set amount random(100, 50000)
SELECT pay_nohot(nextval('payment_seq'), :customer, :merchant, :amount);
