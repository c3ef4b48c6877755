-- pgbench script: one payment with the 2% cashback from the hot campaign budget row.
-- run.sh passes -D customers=N -D merchants=M. Amounts are fen (1 to 500 yuan).
-- The payment id comes from a sequence, so ids never collide between clients or runs.
\set customer random(1, :customers)
\set merchant :customers + random(1, :merchants)
\set amount random(100, 50000)
SELECT pay(nextval('payment_seq'), :customer, :merchant, :amount);
