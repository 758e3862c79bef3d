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
      "planning"."account_categories"
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
          "account_id",
          "quarter",
          "amount",
          "confidence",
          "note",
          "status",
          "_version",
          "_updated_by",
          "_updated_at"
        from
          "writeback"."revenue_forecast"
        where
          "_scenario" = 'base'
          and not "_deleted"
      ) as "revenue_forecast"
  ),
  actuals as (
    select
      account_id,
      quarter,
      revenue as actual
    from
      "finance"."actuals"
  ),
  pipeline as (
    select
      account_id,
      to_char(close_date, 'YYYY-"Q"Q') as quarter,
      sum(amount) as open_pipeline
    from
      "crm"."opportunities"
    where
      stage not in ('closed_won', 'closed_lost')
    group by
      account_id,
      to_char(close_date, 'YYYY-"Q"Q')
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
  case
    when f.forecast is null
    or f.forecast = 0 then null
    else (x.actual - f.forecast) / (f.forecast)
  end as variance_pct
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
