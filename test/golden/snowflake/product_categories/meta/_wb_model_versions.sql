create table if not exists "WRITEBACK"."_WB_MODEL_VERSIONS" (
  "MODEL" VARCHAR not null,
  "VERSION" NUMBER(38, 0) not null,
  "FINGERPRINT" VARCHAR not null,
  "SQL" VARCHAR not null,
  "APPLIED_AT" TIMESTAMP_NTZ not null,
  "APPLIED_BY" VARCHAR not null,
  primary key ("MODEL", "VERSION") not enforced
);
