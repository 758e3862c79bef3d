create table if not exists `writeback`.`_wb_tokens` (
  `token_id` STRING not null,
  `token_hash` STRING not null,
  `user_name` STRING not null,
  `role` STRING not null,
  `attributes` STRING not null,
  `created_at` TIMESTAMP not null,
  `created_by` STRING not null,
  `revoked_at` TIMESTAMP,
  `kind` STRING,
  `name` STRING,
  `expires_at` TIMESTAMP,
  `last_used_at` TIMESTAMP,
  primary key (`token_id`) not enforced
);
