select
  a.region,
  to_char(a.quarter) as label,
  sum(a.amount) as total,
  2026 as fiscal_year -- the year
from
  "PLANNING"."ACCOUNT_PLAN" a
  join "PLANNING"."ACCOUNTS_FIXED" f on f.id = a.id
  /* quarters only */
where
  a.quarter is not null
group by
  all
