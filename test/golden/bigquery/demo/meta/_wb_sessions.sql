create table if not exists `writeback`.`_wb_sessions` (
  `session_hash` STRING not null,
  `user_name` STRING not null,
  `display_name` STRING,
  `email` STRING,
  `role` STRING not null,
  `attributes` STRING not null,
  `issuer` STRING not null,
  `subject` STRING not null,
  `created_at` TIMESTAMP not null,
  `last_seen_at` TIMESTAMP not null,
  `expires_at` TIMESTAMP not null,
  `revoked_at` TIMESTAMP,
  primary key (`session_hash`) not enforced
);
