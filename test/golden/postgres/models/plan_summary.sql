select
  a.region,
  'FY' || a.quarter as label,
  sum(a.amount) as total,
  2026 as fiscal_year -- the year
from
  "planning"."account_plan" a
  join "planning"."accounts_fixed" f on f.id = a.id
  /* quarters only */
where
  a.quarter is not null
group by all
