package forms

// Translation keys of FieldError.Key. The messages, in every UI language,
// are in portal/web/locales/forms.<lang>.json; each says how to put the
// answer right. A message is shown under its question's label, so it does
// not repeat the label.
const (
	KeyRequired            = "form.error.required"             // text, textarea
	KeyRequiredChoice      = "form.error.required_choice"      // select, radio
	KeyRequiredCheckbox    = "form.error.required_checkbox"    // checkbox with options
	KeyRequiredDeclaration = "form.error.required_declaration" // checkbox without options
	KeyRequiredEmail       = "form.error.required_email"
	KeyRequiredTel         = "form.error.required_tel"
	KeyRequiredDate        = "form.error.required_date"
	KeyRequiredNumber      = "form.error.required_number"
	KeyRequiredMoney       = "form.error.required_money"
	KeyRequiredFile        = "form.error.required_file"
	KeyRequiredVehicle     = "form.error.required_vehicle"

	KeyTooLong       = "form.error.too_long"        // Args: MaxLength, Length
	KeyPattern       = "form.error.pattern"         // Args: Example
	KeyEmail         = "form.error.email"           //
	KeyTel           = "form.error.tel"             //
	KeyTelLength     = "form.error.tel_length"      // Args: Min, Max (digits)
	KeyDate          = "form.error.date"            //
	KeyDateDay       = "form.error.date_day"        // day missing
	KeyDateMonth     = "form.error.date_month"      // month missing
	KeyDateYear      = "form.error.date_year"       // year missing or not 4 digits
	KeyDateDayMonth  = "form.error.date_day_month"  // day and month missing
	KeyDateDayYear   = "form.error.date_day_year"   // day and year missing
	KeyDateMonthYear = "form.error.date_month_year" // month and year missing
	// A real date out of the field's min_date and max_date; Args: Min, Max
	// (Dates, where set). Every date key also has Args Example.
	KeyDateTodayOrFuture = "form.error.date_today_or_future" // min_date "today"
	KeyDateTodayOrPast   = "form.error.date_today_or_past"   // max_date "today"
	KeyDateMin           = "form.error.date_min"
	KeyDateMax           = "form.error.date_max"
	KeyDateBetween       = "form.error.date_between"
	KeyNumber            = "form.error.number"         //
	KeyNumberMin         = "form.error.number_min"     // Args: Min
	KeyNumberMax         = "form.error.number_max"     // Args: Max
	KeyNumberBetween     = "form.error.number_between" // Args: Min, Max
	KeyMoney             = "form.error.money"          //
	KeyMoneyDecimals     = "form.error.money_decimals" //
	KeyMoneyMin          = "form.error.money_min"      // Args: Min (an Amount)
	KeyMoneyMax          = "form.error.money_max"      // Args: Max (an Amount)
	KeyMoneyBetween      = "form.error.money_between"  // Args: Min, Max (Amounts)
	KeyOption            = "form.error.option"         //
	KeyAddressLine1      = "form.error.address_line1"  //
	KeyLocation          = "form.error.location"       // a location's street or place missing
	KeyCoordsBoth        = "form.error.coords_both"    // a location's latitude without its longitude, or the reverse
	KeyCoordsNumber      = "form.error.coords_number"  // a location's latitude or longitude not a number of degrees
	KeyCoordsOutside     = "form.error.coords_outside" // a location's coordinates outside the council's area
	KeyPostcode          = "form.error.postcode"       // missing
	KeyPostcodeBad       = "form.error.postcode_bad"   //
	KeyVehicle           = "form.error.vehicle"        //
	KeyFileType          = "form.error.file_type"      // Args: Types ("PDF, JPG, PNG")
	KeyFileSize          = "form.error.file_size"      // Args: MaxMB
	KeyFileEmpty         = "form.error.file_empty"     //
	KeyFileCount         = "form.error.file_count"     // Args: Max
)

// Keys of the texts Display uses.
const (
	KeyNotProvided  = "form.answer.not_provided"
	KeyDeclared     = "form.answer.declared"
	KeyDateFormat   = "form.date.format"    // Args: Day, Month, Year
	KeyMonthPrefix  = "form.date.month."    // + 1..12
	KeyFileSizeKB   = "form.file.size_kb"   // Args: Size
	KeyFileSizeMB   = "form.file.size_mb"   // Args: Size
	KeyFileListing  = "form.file.listing"   // Args: Name, Size
	KeyAddressPart  = "form.address.part."  // + line1, line2, town, postcode: input labels
	KeyLocationPart = "form.location.part." // + line1, line2, lat, lng: input labels
	KeyLocationPin  = "form.location.pin"   // Args: Lat, Lng: where the pin was put, read back
	KeyDatePart     = "form.date.part."     // + day, month, year: input labels
)

// ErrorKeys lists every FieldError key, for the test that each has a
// message in every language.
var ErrorKeys = []string{
	KeyRequired, KeyRequiredChoice, KeyRequiredCheckbox, KeyRequiredDeclaration,
	KeyRequiredEmail, KeyRequiredTel, KeyRequiredDate, KeyRequiredNumber,
	KeyRequiredMoney, KeyRequiredFile, KeyRequiredVehicle,
	KeyTooLong, KeyPattern, KeyEmail, KeyTel, KeyTelLength, KeyDate, KeyDateDay,
	KeyDateMonth, KeyDateYear, KeyDateDayMonth, KeyDateDayYear, KeyDateMonthYear,
	KeyDateTodayOrFuture, KeyDateTodayOrPast, KeyDateMin, KeyDateMax, KeyDateBetween, KeyNumber, KeyNumberMin, KeyNumberMax,
	KeyNumberBetween, KeyMoney, KeyMoneyDecimals, KeyMoneyMin, KeyMoneyMax,
	KeyMoneyBetween, KeyOption, KeyAddressLine1, KeyLocation, KeyCoordsBoth, KeyCoordsNumber, KeyCoordsOutside, KeyPostcode, KeyPostcodeBad,
	KeyVehicle, KeyFileType, KeyFileSize, KeyFileEmpty, KeyFileCount,
}
