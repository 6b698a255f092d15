#!/usr/bin/env bash
# Server time of the Customers page's first page with 10,000 customers: the Core query behind the MudTable
# (agent check re-read from the database, count, one page of 25 with portal-user and open-ticket counts) on a
# real SQLite file, measured with BenchmarkDotNet. Not part of ./test.sh.
#   scripts/measure-customer-list.sh
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project BlazorVault.Benchmarks -- --filter '*CustomerList*' --join
