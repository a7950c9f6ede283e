package io.infera.tasks.tablequestionanswering;

import java.util.List;

/**
 * A table as a request gives it ({@code {column: [values]}}): column names and rows of cell texts.
 */
record Table(List<String> columns, List<List<String>> rows) {

    String cell(int row, int column) {
        return rows.get(row).get(column);
    }
}
