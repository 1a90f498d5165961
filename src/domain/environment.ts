/** A Power Platform environment as Elevate knows it (docs/api-contracts.md §3, `environmentmanagement/environments`). */
export interface EnvironmentRef {
  id: string;
  displayName: string;
  type?: string;
  url?: string;
  domainName?: string;
}

/** A Power Platform environment group (docs/api-contracts.md §3, `environmentmanagement/environmentGroups`). */
export interface EnvironmentGroupRef {
  id: string;
  displayName: string;
}
