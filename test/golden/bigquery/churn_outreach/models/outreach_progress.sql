select
  region,
  count(*) as accounts,
  sum(
    case
      when coalesce(status, 'not_contacted') = 'not_contacted' then 1
      else 0
    end
  ) as not_contacted,
  sum(
    case
      when status = 'contacted' then 1
      else 0
    end
  ) as contacted,
  sum(
    case
      when status = 'resolved' then 1
      else 0
    end
  ) as resolved,
  sum(
    case
      when status = 'lost' then 1
      else 0
    end
  ) as lost,
  sum(
    case
      when status = 'lost'
      or status = 'resolved' then 0
      else arr
    end
  ) as open_arr_at_risk
from
  `support`.`churn_worklist`
where
  risk_level in ('high', 'medium')
group by
  region
