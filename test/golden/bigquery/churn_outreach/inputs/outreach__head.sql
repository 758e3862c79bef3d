create table `writeback`.`outreach__head` (
  `seq` INT64 not null,
  `head` STRING not null,
  `updated_at` TIMESTAMP not null
);
