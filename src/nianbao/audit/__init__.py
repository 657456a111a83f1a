"""Report → Report with findings: the table rules of the catalogue and the narrative checks.

Per-report only; checks that compare reports across years or units live with the corpus.
"""

from __future__ import annotations

from ..collector import collection_paused
from ..report import Report
from ..settings import Settings, resolve
from .narrative import narrative_findings
from .risk import risk_findings
from .substance import substance_findings
from .tables import table_findings
from .timeliness import timeliness_findings

__all__ = ["audit"]


@collection_paused
def audit(report: Report, settings: Settings | dict[str, object] | None = None) -> Report:
    """Append the audit's findings to the report's extraction findings and return it."""
    options = resolve(settings).audit
    report.findings.extend(table_findings(report, options))
    report.findings.extend(narrative_findings(report, options))
    report.findings.extend(substance_findings(report, options))
    report.findings.extend(timeliness_findings(report, options))
    report.findings.extend(risk_findings(report, options))
    return report
