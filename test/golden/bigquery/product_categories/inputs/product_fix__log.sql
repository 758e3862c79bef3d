create table `writeback`.`product_fix__log` (
  `_entry_id` STRING not null,
  `_seq` INT64 not null,
  `_op` STRING not null,
  `_scenario` STRING not null,
  `_version` INT64 not null,
  `_user` STRING not null,
  `_at` TIMESTAMP not null,
  `_set_columns` STRING,
  `_old_values` STRING,
  `_request_id` STRING,
  `_comment` STRING,
  `_prev_hash` STRING,
  `_hash` STRING not null,
  `product_id` STRING,
  `category` STRING,
  `brand` STRING,
  `reason` STRING
)
partition by
  date(`_at`)
cluster by
  `_scenario`,
  `product_id`;
