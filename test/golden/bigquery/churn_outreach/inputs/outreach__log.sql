create table `writeback`.`outreach__log` (
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
  `account_id` STRING,
  `status` STRING,
  `contacted_on` DATE,
  `owner` STRING,
  `notes` STRING
)
partition by
  date(`_at`)
cluster by
  `_scenario`,
  `account_id`;
