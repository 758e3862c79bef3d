with
  accounts as (
    select
      id as account_id,
      name as account_name,
      region,
      segment,
      owner,
      category
    from
      "PLANNING"."ACCOUNT_CATEGORIES"
  ),
  forecast as (
    select
      account_id,
      quarter,
      amount as forecast,
      confidence
    from
      (
        select
          "ACCOUNT_ID",
          "QUARTER",
          "AMOUNT",
          "CONFIDENCE",
          "NOTE",
          "STATUS",
          "_VERSION",
          "_UPDATED_BY",
          "_UPDATED_AT"
        from
          "WRITEBACK"."REVENUE_FORECAST"
        where
          "_SCENARIO" = 'base'
          and not "_DELETED"
      )
  ),
  actuals as (
    select
      account_id,
      quarter,
      revenue as actual
    from
      "FINANCE"."ACTUALS"
  ),
  pipeline as (
    select
      account_id,
      to_char(close_date, 'YYYY') || '-Q' || to_char(quarter(close_date)) as quarter,
      sum(amount) as open_pipeline
    from
      "CRM"."OPPORTUNITIES"
    where
      stage not in ('closed_won', 'closed_lost')
    group by
      account_id,
      to_char(close_date, 'YYYY') || '-Q' || to_char(quarter(close_date))
  ),
  account_quarters as (
    select distinct
      account_id,
      quarter
    from
      (
        select
          account_id,
          quarter
        from
          forecast
        union all
        select
          account_id,
          quarter
        from
          actuals
        union all
        select
          account_id,
          quarter
        from
          pipeline
      ) k
  )
select
  a.account_id,
  a.account_name,
  a.region,
  a.segment,
  a.owner,
  a.category,
  q.quarter,
  f.forecast,
  f.confidence,
  x.actual,
  p.open_pipeline,
  x.actual - f.forecast as variance,
  (x.actual - f.forecast) / nullif(f.forecast, 0) as variance_pct
from
  account_quarters q
  join accounts a on a.account_id = q.account_id
  left join forecast f on f.account_id = q.account_id
  and f.quarter = q.quarter
  left join actuals x on x.account_id = q.account_id
  and x.quarter = q.quarter
  left join pipeline p on p.account_id = q.account_id
  and p.quarter = q.quarter
where
  cast(substr(q.quarter, 1, 4) as integer) = 2026
