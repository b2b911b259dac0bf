Attribute VB_Name = "Ribbon"
' Callbacks of the Klantprofielen tab (customUI14.xml). Each runs one function of
' xlkp.addin.macros with a constant command: no path or other user text is ever put into a
' RunPython string. The files chosen for an import go into the hidden sheet _xlkp (A1: count,
' A2 down: paths) and Python reads them from there.
Option Explicit

Private Const MACROS As String = "import xlwings as xw, xlkp.addin.macros as m; m."
Private Const CHANNEL As String = "_xlkp"

Private Sub RunMacro(name As String)
    RunPython MACROS & name & "(xw.Book.caller())"
End Sub

Public Sub Ribbon_ImportPdf(control As IRibbonControl)
    Dim chosen As Variant
    chosen = Application.GetOpenFilename("PDF-bestanden (*.pdf),*.pdf", , _
        "Kies een of meer publicaties 'Transparantie van klantprofielen'", , True)
    If Not IsArray(chosen) Then Exit Sub ' cancelled

    Dim count As Long, i As Long
    count = UBound(chosen) - LBound(chosen) + 1
    Dim paths() As Variant
    ReDim paths(1 To count, 1 To 1)
    For i = 1 To count
        paths(i, 1) = chosen(LBound(chosen) + i - 1)
    Next i

    With ThisWorkbook.Worksheets(CHANNEL)
        .Columns(1).ClearContents
        .Columns(1).NumberFormat = "@" ' text: a path is data, never a formula
        .Range("A1").Value = count
        .Range("A2").Resize(count, 1).Value = paths
    End With
    RunMacro "import_pdf"
End Sub

Public Sub Ribbon_CheckTotals(control As IRibbonControl)
    RunMacro "check_totals"
End Sub

Public Sub Ribbon_RegionOverview(control As IRibbonControl)
    RunMacro "region_overview"
End Sub

Public Sub Ribbon_FunctionsHelp(control As IRibbonControl)
    RunMacro "functions_help"
End Sub

Public Sub Ribbon_About(control As IRibbonControl)
    RunMacro "about"
End Sub
