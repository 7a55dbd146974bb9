/** Parquet datasets: reading row group by row group (and, later, writing). */
export { isParquetFileName, parquetValueToJson, readParquetRecords } from './readParquet';
