/**
 * Query pairs for the differential test: each KQL query and an SQL query that
 * means the same on DuckDB, over the sample tenant. Text columns are never
 * null in Kusto, so the DuckDB copy stores them as empty strings too; dynamic
 * columns are stored as JSON text. `ordered` compares rows in order;
 * otherwise both sides are sorted first.
 */
export interface DifferentialCase {
  name: string;
  kql: string;
  sql: string;
  ordered?: boolean;
}

const MFA_ROWS = `AuthenticationRequirement = 'multiFactorAuthentication'`;

export const DIFFERENTIAL_CASES: DifferentialCase[] = [
  // Filters and counts.
  { name: 'row count', kql: 'SigninLogs | count', sql: 'select count(*) from SigninLogs' },
  {
    name: 'string equality on a text result code',
    kql: 'SigninLogs | where ResultType == "500121" | count',
    sql: `select count(*) from SigninLogs where ResultType = '500121'`,
  },
  {
    name: 'in list',
    kql: 'SigninLogs | where ResultType in ("0", "500121", "50074") | summarize count() by ResultType',
    sql: `select ResultType, count(*) from SigninLogs where ResultType in ('0', '500121', '50074') group by ResultType`,
  },
  {
    name: 'not in list',
    kql: 'SigninLogs | where ResultType !in ("0", "500121") | summarize count() by ResultType',
    sql: `select ResultType, count(*) from SigninLogs where ResultType not in ('0', '500121') group by ResultType`,
  },
  {
    name: 'case-insensitive equality',
    kql: 'SigninLogs | where AuthenticationRequirement =~ "MULTIFACTORAUTHENTICATION" | count',
    sql: `select count(*) from SigninLogs where lower(AuthenticationRequirement) = 'multifactorauthentication'`,
  },
  {
    name: 'case-insensitive inequality',
    kql: 'SigninLogs | where AppDisplayName !~ "OFFICEHOME" | summarize count() by AppDisplayName',
    sql: `select AppDisplayName, count(*) from SigninLogs where lower(AppDisplayName) <> 'officehome' group by AppDisplayName`,
  },
  {
    name: 'contains ignores case',
    kql: 'SigninLogs | where AppDisplayName contains "EXCHANGE" | summarize count() by AppDisplayName',
    sql: `select AppDisplayName, count(*) from SigninLogs where AppDisplayName ilike '%exchange%' group by AppDisplayName`,
  },
  {
    name: 'startswith and endswith',
    kql: 'SigninLogs | where UserPrincipalName startswith "a" and UserPrincipalName endswith ".EXAMPLE" | summarize count() by UserPrincipalName',
    sql: `select UserPrincipalName, count(*) from SigninLogs where UserPrincipalName ilike 'a%' and UserPrincipalName ilike '%.example' group by UserPrincipalName`,
  },
  {
    name: 'isempty and isnotempty on text',
    kql: 'SigninLogs | summarize Empty = countif(isempty(SessionId)), Filled = countif(isnotempty(SessionId))',
    sql: `select count(*) filter (where SessionId = ''), count(*) filter (where SessionId <> '') from SigninLogs`,
  },
  {
    name: 'boolean column',
    kql: 'AADNonInteractiveUserSignInLogs | summarize count() by IsInteractive',
    sql: 'select IsInteractive, count(*) from AADNonInteractiveUserSignInLogs group by IsInteractive',
  },
  {
    name: 'datetime range with between',
    kql: 'SigninLogs | where TimeGenerated between (datetime(2026-11-20) .. datetime(2026-11-21)) | count',
    sql: `select count(*) from SigninLogs where TimeGenerated between timestamp '2026-11-20' and timestamp '2026-11-21'`,
  },
  {
    name: 'datetime comparison',
    kql: 'SigninLogs | where TimeGenerated >= datetime(2026-11-25T12:00:00Z) | count',
    sql: `select count(*) from SigninLogs where TimeGenerated >= timestamp '2026-11-25 12:00:00'`,
  },
  {
    name: 'and, or and not',
    kql: 'SigninLogs | where (ResultType == "0" or ResultType == "500121") and not(ClientAppUsed == "Browser") | count',
    sql: `select count(*) from SigninLogs where (ResultType = '0' or ResultType = '500121') and not (ClientAppUsed = 'Browser')`,
  },
  // Projection and computed columns.
  {
    name: 'project and take after a total order',
    kql: 'SigninLogs | order by TimeGenerated asc, OriginalRequestId asc, CorrelationId asc | take 20 | project TimeGenerated, UserPrincipalName, ResultType',
    sql: 'select TimeGenerated, UserPrincipalName, ResultType from SigninLogs order by TimeGenerated asc, OriginalRequestId asc, CorrelationId asc limit 20',
    ordered: true,
  },
  {
    name: 'extend with tolower and strlen',
    kql: 'SigninLogs | extend Upn = tolower(UserPrincipalName), Length = strlen(UserPrincipalName) | summarize count() by Upn, Length',
    sql: 'select lower(UserPrincipalName), length(UserPrincipalName), count(*) from SigninLogs group by all',
  },
  {
    name: 'strcat',
    kql: 'SigninLogs | extend Key = strcat(UserPrincipalName, "|", IPAddress) | summarize count() by Key',
    sql: `select UserPrincipalName || '|' || IPAddress, count(*) from SigninLogs group by all`,
  },
  {
    name: 'iff',
    kql: 'SigninLogs | extend Outcome = iff(ResultType == "0", "success", "other") | summarize count() by Outcome',
    sql: `select case when ResultType = '0' then 'success' else 'other' end, count(*) from SigninLogs group by all`,
  },
  {
    name: 'case',
    kql: 'SigninLogs | extend Kind = case(ResultType == "0", "success", ResultType == "500121", "denied", "other") | summarize count() by Kind',
    sql: `select case when ResultType = '0' then 'success' when ResultType = '500121' then 'denied' else 'other' end, count(*) from SigninLogs group by all`,
  },
  {
    name: 'hour of day',
    kql: 'SigninLogs | summarize count() by Hour = hourofday(TimeGenerated)',
    sql: 'select hour(TimeGenerated), count(*) from SigninLogs group by all',
  },
  {
    name: 'start of day',
    kql: 'SigninLogs | summarize count() by Day = startofday(TimeGenerated)',
    sql: `select date_trunc('day', TimeGenerated), count(*) from SigninLogs group by all`,
  },
  {
    name: 'dynamic property',
    kql: 'SigninLogs | extend Country = tostring(LocationDetails.countryOrRegion) | summarize count() by Country',
    sql: `select coalesce(json_extract_string(LocationDetails, '$.countryOrRegion'), ''), count(*) from SigninLogs group by all`,
  },
  {
    name: 'JSON text parsed with todynamic',
    kql: 'AADNonInteractiveUserSignInLogs | extend Country = tostring(todynamic(LocationDetails).countryOrRegion) | summarize count() by Country',
    sql: `select coalesce(json_extract_string(LocationDetails, '$.countryOrRegion'), ''), count(*) from AADNonInteractiveUserSignInLogs group by all`,
  },
  {
    name: 'integer inside a dynamic value',
    kql: 'SigninLogs | summarize count() by Code = toint(Status.errorCode)',
    sql: `select cast(json_extract(Status, '$.errorCode') as integer), count(*) from SigninLogs group by all`,
  },
  // Aggregations.
  {
    name: 'count by one column',
    kql: 'SigninLogs | summarize count() by ResultType',
    sql: 'select ResultType, count(*) from SigninLogs group by ResultType',
  },
  {
    name: 'count by two columns',
    kql: 'SigninLogs | summarize count() by AppDisplayName, ClientAppUsed',
    sql: 'select AppDisplayName, ClientAppUsed, count(*) from SigninLogs group by all',
  },
  {
    name: 'dcount',
    kql: 'SigninLogs | summarize Users = dcount(UserPrincipalName), IPs = dcount(IPAddress)',
    sql: 'select count(distinct UserPrincipalName), count(distinct IPAddress) from SigninLogs',
  },
  {
    name: 'dcountif',
    kql: 'SigninLogs | summarize Denied = dcountif(OriginalRequestId, ResultType == "500121") by UserPrincipalName',
    sql: `select UserPrincipalName, count(distinct OriginalRequestId) filter (where ResultType = '500121') from SigninLogs group by all`,
  },
  {
    name: 'countif',
    kql: 'SigninLogs | summarize Successes = countif(ResultType == "0"), Failures = countif(ResultType != "0") by AppDisplayName',
    sql: `select AppDisplayName, count(*) filter (where ResultType = '0'), count(*) filter (where ResultType <> '0') from SigninLogs group by all`,
  },
  {
    name: 'min and max of datetimes',
    kql: 'SigninLogs | summarize First = min(TimeGenerated), Last = max(TimeGenerated) by UserPrincipalName',
    sql: 'select UserPrincipalName, min(TimeGenerated), max(TimeGenerated) from SigninLogs group by all',
  },
  {
    name: 'minif and maxif',
    kql: 'SigninLogs | summarize FirstDenial = minif(TimeGenerated, ResultType == "500121"), LastSuccess = maxif(TimeGenerated, ResultType == "0") by UserPrincipalName | where isnotnull(FirstDenial)',
    sql: `select * from (select UserPrincipalName, min(TimeGenerated) filter (where ResultType = '500121') as f, max(TimeGenerated) filter (where ResultType = '0') from SigninLogs group by all) where f is not null`,
  },
  {
    name: 'sum and avg of a long',
    kql: 'SigninLogs | summarize Total = sum(DurationMs), Mean = avg(DurationMs) by ClientAppUsed',
    sql: 'select ClientAppUsed, sum(DurationMs), avg(DurationMs) from SigninLogs group by all',
  },
  {
    name: 'summarize over an empty input',
    kql: 'SigninLogs | where UserPrincipalName == "nobody@example.invalid" | summarize count(), dcount(IPAddress)',
    sql: `select count(*), count(distinct IPAddress) from SigninLogs where UserPrincipalName = 'nobody@example.invalid'`,
  },
  {
    name: 'summarize by a computed key',
    kql: 'SigninLogs | summarize count() by Upn = tolower(UserPrincipalName), IPAddress',
    sql: 'select lower(UserPrincipalName), IPAddress, count(*) from SigninLogs group by all',
  },
  {
    name: 'distinct',
    kql: 'SigninLogs | distinct UserPrincipalName, ClientAppUsed',
    sql: 'select distinct UserPrincipalName, ClientAppUsed from SigninLogs',
  },
  {
    name: 'count then filter on the count',
    kql: 'SigninLogs | where ResultType == "500121" | summarize Denials = count() by UserPrincipalName | where Denials >= 3',
    sql: `select * from (select UserPrincipalName, count(*) as Denials from SigninLogs where ResultType = '500121' group by all) where Denials >= 3`,
  },
  {
    name: 'sort by two columns then take',
    kql: 'SigninLogs | summarize Sign_ins = count() by UserPrincipalName | sort by Sign_ins desc, UserPrincipalName asc | take 10',
    sql: 'select UserPrincipalName, count(*) as n from SigninLogs group by all order by n desc, UserPrincipalName asc limit 10',
    ordered: true,
  },
  {
    name: 'top by the latest sign-in',
    kql: 'SigninLogs | summarize Last = max(TimeGenerated) by UserPrincipalName | top 5 by Last desc',
    sql: 'select UserPrincipalName, max(TimeGenerated) as l from SigninLogs group by all order by l desc limit 5',
  },
  // Time bins.
  {
    name: 'hourly bins',
    kql: 'SigninLogs | summarize count() by bin(TimeGenerated, 1h)',
    sql: `select time_bucket(interval '1 hour', TimeGenerated), count(*) from SigninLogs group by all`,
  },
  {
    name: 'five-minute bins of denials per user',
    kql: 'SigninLogs | where ResultType == "500121" | summarize count() by UserPrincipalName, bin(TimeGenerated, 5m)',
    sql: `select UserPrincipalName, time_bucket(interval '5 minutes', TimeGenerated), count(*) from SigninLogs where ResultType = '500121' group by all`,
  },
  {
    name: 'daily bins',
    kql: 'AADNonInteractiveUserSignInLogs | summarize count() by bin(TimeGenerated, 1d)',
    sql: `select time_bucket(interval '1 day', TimeGenerated), count(*) from AADNonInteractiveUserSignInLogs group by all`,
  },
  {
    name: 'datetime difference in minutes',
    kql: 'SigninLogs | summarize First = min(TimeGenerated), Last = max(TimeGenerated) by UserPrincipalName | extend Minutes = datetime_diff("minute", Last, First)',
    sql: `select UserPrincipalName, min(TimeGenerated), max(TimeGenerated), datediff('minute', min(TimeGenerated), max(TimeGenerated)) from SigninLogs group by all`,
  },
  // Joins.
  {
    name: 'inner join of denials and successes',
    kql: `let denials = SigninLogs | where ResultType == "500121" | summarize Denials = count() by UserPrincipalName;
let successes = SigninLogs | where ResultType == "0" | summarize Successes = count() by UserPrincipalName;
denials | join kind=inner successes on UserPrincipalName | project UserPrincipalName, Denials, Successes`,
    sql: `with d as (select UserPrincipalName, count(*) as Denials from SigninLogs where ResultType = '500121' group by all),
s as (select UserPrincipalName, count(*) as Successes from SigninLogs where ResultType = '0' group by all)
select d.UserPrincipalName, Denials, Successes from d join s using (UserPrincipalName)`,
  },
  {
    name: 'leftanti join',
    kql: `let denied = SigninLogs | where ResultType == "500121" | distinct UserPrincipalName;
SigninLogs | distinct UserPrincipalName | join kind=leftanti denied on UserPrincipalName`,
    sql: `select distinct UserPrincipalName from SigninLogs s where not exists (select 1 from SigninLogs d where d.ResultType = '500121' and d.UserPrincipalName = s.UserPrincipalName)`,
  },
  {
    name: 'leftsemi join',
    kql: `let denied = SigninLogs | where ResultType == "500121" | distinct UserPrincipalName;
SigninLogs | where ResultType == "0" | summarize count() by UserPrincipalName | join kind=leftsemi denied on UserPrincipalName`,
    sql: `select UserPrincipalName, count(*) from SigninLogs s where ResultType = '0' and exists (select 1 from SigninLogs d where d.ResultType = '500121' and d.UserPrincipalName = s.UserPrincipalName) group by all`,
  },
  {
    name: 'leftouter join keeps unmatched rows',
    kql: `let denials = SigninLogs | where ResultType == "500121" | summarize Denials = count() by UserPrincipalName;
SigninLogs | summarize Total = count() by UserPrincipalName | join kind=leftouter denials on UserPrincipalName | project UserPrincipalName, Total, Denials`,
    sql: `with d as (select UserPrincipalName, count(*) as Denials from SigninLogs where ResultType = '500121' group by all)
select t.UserPrincipalName, t.Total, d.Denials from (select UserPrincipalName, count(*) as Total from SigninLogs group by all) t left join d on t.UserPrincipalName = d.UserPrincipalName`,
  },
  {
    name: 'join across tables with a time condition',
    kql: `let approvals = SigninLogs | where ResultType == "0" and AuthenticationRequirement == "multiFactorAuthentication" | summarize Approval = min(TimeGenerated) by UserPrincipalName = tolower(UserPrincipalName);
OfficeActivity | extend UserPrincipalName = tolower(UserId) | join kind=inner approvals on UserPrincipalName | where TimeGenerated >= Approval | summarize count() by UserPrincipalName, Operation`,
    sql: `with a as (select lower(UserPrincipalName) as u, min(TimeGenerated) as Approval from SigninLogs where ResultType = '0' and ${MFA_ROWS} group by all)
select a.u, o.Operation, count(*) from OfficeActivity o join a on lower(o.UserId) = a.u where o.TimeGenerated >= a.Approval group by all`,
  },
  // Union and other tables.
  {
    name: 'union of interactive and non-interactive sign-ins',
    kql: 'union SigninLogs, AADNonInteractiveUserSignInLogs | summarize count() by ResultType',
    sql: 'select ResultType, count(*) from (select ResultType from SigninLogs union all select ResultType from AADNonInteractiveUserSignInLogs) group by all',
  },
  {
    name: 'audit operations',
    kql: 'AuditLogs | summarize count() by OperationName, Result',
    sql: 'select OperationName, Result, count(*) from AuditLogs group by all',
  },
  {
    name: 'office operations per user',
    kql: 'OfficeActivity | summarize count() by UserId, Operation',
    sql: 'select UserId, Operation, count(*) from OfficeActivity group by all',
  },
];
