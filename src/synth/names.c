/*
 * synth/names.c — the constant tables behind the synthetic area (see synth_int.h).
 *
 * Names are common ones in England's schools and birth registrations for each tradition, not any
 * person's; addresses are street names common across England with invented house numbers; summaries are
 * generic and name nobody.
 */
#include "synth/synth_int.h"

#include <string.h>

#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

/* ---- naming traditions ---- */

static const char *const english_m[] = {
	"Oliver", "George", "Harry", "Jack", "Noah", "Charlie", "Thomas", "Oscar", "William", "James",
	"Jacob", "Alfie", "Joshua", "Freddie", "Archie", "Henry", "Leo", "Daniel", "Samuel", "Joseph",
	"Alexander", "Benjamin", "Matthew", "Edward", "Christopher", "Michael", "Robert", "Nathan",
	"Callum", "Kieran", "Tyler", "Riley", "Mason", "Logan", "Frederick", "Charles", "Jayden", "Lewis",
	"Ethan", "Dylan", "Reece", "Connor",
};
static const char *const english_f[] = {
	"Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Lily", "Isabella", "Elizabeth",
	"Jessica", "Poppy", "Charlotte", "Evie", "Mia", "Ella", "Chloe", "Katherine", "Rebecca", "Abigail",
	"Samantha", "Jennifer", "Victoria", "Margaret", "Megan", "Eleanor", "Alexandra", "Harriet",
	"Summer", "Ruby", "Freya", "Holly", "Lauren", "Amber", "Courtney", "Jade", "Paige", "Niamh",
};
static const char *const english_s[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
	"Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke",
	"Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Harris", "Martin", "King",
	"Baker", "Harrison", "Morris", "Lewis", "Shaw", "Holmes", "Atkinson", "Barker", "Dawson", "Fletcher",
	"Marsden", "Pickering", "Sutcliffe", "Stewart", "Campbell", "Griffiths", "Pritchard", "Lloyd",
};

static const char *const irish_m[] = {
	"Sean", "Patrick", "Ciaran", "Cian", "Conor", "Oisin", "Liam", "Niall", "Darragh", "Michael",
	"John", "Padraig", "Eoin", "Ronan", "Declan",
};
static const char *const irish_f[] = {
	"Aoife", "Siobhan", "Niamh", "Ciara", "Roisin", "Saoirse", "Orla", "Sinead", "Caoimhe", "Bridget",
	"Mary", "Aisling", "Clodagh",
};
static const char *const irish_s[] = {
	"Murphy", "Kelly", "O'Brien", "O'Connor", "Ryan", "Byrne", "Walsh", "Doyle", "McCarthy", "Gallagher",
	"O'Neill", "Quinn", "McDonagh", "Connors", "Flanagan", "Brennan", "Maguire", "Keane",
};

static const char *const polish_m[] = {
	"Jakub", "Jan", "Szymon", "Filip", "Kacper", "Mateusz", "Aleksander", "Wojciech", "Piotr",
	"Michał", "Antoni", "Franciszek", "Bartosz", "Dawid", "Tomasz",
};
static const char *const polish_f[] = {
	"Zuzanna", "Julia", "Zofia", "Hanna", "Maja", "Lena", "Aleksandra", "Katarzyna", "Natalia",
	"Wiktoria", "Małgorzata", "Oliwia", "Agnieszka", "Magdalena",
};
/* Masculine forms; the generator gives girls the feminine -ska / -cka / -dzka. */
static const char *const polish_s[] = {
	"Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński",
	"Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Mazur", "Krawczyk", "Kaczmarek", "Nowicki",
};

static const char *const romanian_m[] = {
	"Andrei", "Alexandru", "David", "Gabriel", "Luca", "Matei", "Ionut", "Stefan", "Mihai", "Cristian",
	"Darius", "Vlad",
};
static const char *const romanian_f[] = {
	"Maria", "Ioana", "Elena", "Andreea", "Alexandra", "Sofia", "Daria", "Bianca", "Ana", "Denisa",
	"Alesia", "Larisa",
};
static const char *const romanian_s[] = {
	"Popescu", "Ionescu", "Popa", "Pop", "Constantin", "Stan", "Dumitru", "Munteanu", "Rusu", "Marin",
	"Lungu", "Stoica", "Gheorghe", "Radu", "Moldovan",
};

static const char *const pakistani_m[] = {
	"Mohammed", "Muhammad", "Ali", "Hamza", "Ibrahim", "Yusuf", "Zain", "Ayaan", "Musa", "Bilal",
	"Usman", "Imran", "Adam", "Zakariya", "Hassan", "Abdullah", "Umar", "Haris", "Rayan", "Idris",
};
static const char *const pakistani_f[] = {
	"Aisha", "Maryam", "Fatima", "Zara", "Hafsa", "Amina", "Khadija", "Zainab", "Inaya", "Hana",
	"Sana", "Alisha", "Iqra", "Eman", "Noor", "Mahnoor", "Safa", "Anaya",
};
static const char *const pakistani_s[] = {
	"Khan", "Hussain", "Ahmed", "Ali", "Shah", "Iqbal", "Akhtar", "Mahmood", "Butt", "Malik",
	"Rashid", "Qureshi", "Raza", "Mirza", "Chaudhry", "Bibi", "Sadiq", "Javed", "Aslam", "Nawaz",
};

static const char *const bangladeshi_m[] = {
	"Mohammed", "Abdul", "Rahim", "Sami", "Rayyan", "Tahmid", "Arif", "Shahid", "Nabil", "Ayan",
	"Ismail", "Rafi", "Sadiq", "Yusuf", "Ibrahim",
};
static const char *const bangladeshi_f[] = {
	"Tasnim", "Nusrat", "Sumaiya", "Anisa", "Farhana", "Sadia", "Jannat", "Tahmina", "Ruksana", "Aisha",
	"Fatima", "Maryam", "Raisa", "Habiba",
};
static const char *const bangladeshi_s[] = {
	"Miah", "Uddin", "Rahman", "Islam", "Ahmed", "Hussain", "Chowdhury", "Hoque", "Begum", "Ali",
	"Khatun", "Alam", "Karim", "Hossain",
};

static const char *const sikh_m[] = {
	"Harjit", "Gurpreet", "Jaspreet", "Navdeep", "Arjun", "Jasdeep", "Harpreet", "Manveer", "Gurvir",
	"Ranveer", "Amandeep", "Sukhdeep",
};
static const char *const sikh_f[] = {
	"Simran", "Harleen", "Jasleen", "Gurleen", "Manpreet", "Navneet", "Amrit", "Jaspreet", "Kiran",
	"Harpreet", "Rajveer", "Prabhleen",
};
static const char *const sikh_s[] = {
	"Gill", "Sandhu", "Dhillon", "Sidhu", "Grewal", "Bains", "Johal", "Atwal", "Sahota", "Virdi",
	"Bassi", "Kalsi",
};

static const char *const hindu_m[] = {
	"Aarav", "Arjun", "Rohan", "Dev", "Krish", "Ishaan", "Vihaan", "Aryan", "Rahul", "Rishi",
	"Kiran", "Nikhil", "Jay", "Yash",
};
static const char *const hindu_f[] = {
	"Priya", "Anjali", "Diya", "Riya", "Ananya", "Isha", "Kavya", "Pooja", "Nisha", "Meera",
	"Aditi", "Shreya", "Tara",
};
static const char *const hindu_s[] = {
	"Patel", "Shah", "Mistry", "Sharma", "Parmar", "Chauhan", "Desai", "Joshi", "Mehta", "Lad",
	"Solanki", "Kumar", "Pandya", "Thakrar",
};

static const char *const nigerian_m[] = {
	"David", "Daniel", "Emmanuel", "Samuel", "Chukwuemeka", "Oluwaseun", "Oluwatobi", "Tunde", "Chidi",
	"Ayomide", "Femi", "Joshua", "Victor", "Ikenna", "Olamide",
};
static const char *const nigerian_f[] = {
	"Chioma", "Adaeze", "Precious", "Blessing", "Favour", "Temitope", "Ifeoma", "Oluwatoyin", "Esther",
	"Deborah", "Comfort", "Ngozi", "Funmilayo", "Grace",
};
static const char *const nigerian_s[] = {
	"Okafor", "Okonkwo", "Adeyemi", "Adebayo", "Eze", "Obi", "Nwosu", "Bello", "Ogunleye", "Balogun",
	"Afolabi", "Olaniyan", "Okeke", "Oyelaran", "Nwachukwu", "Adewale",
};

static const char *const somali_m[] = {
	"Mohamed", "Abdirahman", "Abdullahi", "Ahmed", "Hamza", "Yusuf", "Ayub", "Mustafe", "Abdi", "Omar",
	"Liban", "Zakaria", "Ismail", "Hassan",
};
static const char *const somali_f[] = {
	"Hodan", "Ifrah", "Hibo", "Sagal", "Ayan", "Fadumo", "Hamdi", "Asha", "Sumaya", "Nasra", "Ikram",
	"Hamda", "Sahra", "Muna",
};
static const char *const somali_s[] = {
	"Mohamed", "Ali", "Ahmed", "Hassan", "Abdi", "Omar", "Hussein", "Farah", "Osman", "Yusuf",
	"Warsame", "Abdullahi", "Jama", "Aden", "Ismail", "Nur", "Guled", "Egal",
};

static const char *const caribbean_m[] = {
	"Tyrone", "Jermaine", "Marcus", "Kai", "Jayden", "Malachi", "Isaiah", "Dante", "Nathaniel", "Andre",
	"Tyrese", "Kyle", "Leon", "Dwayne",
};
static const char *const caribbean_f[] = {
	"Shanice", "Tiana", "Keisha", "Jada", "Aaliyah", "Nia", "Imani", "Destiny", "Tanisha", "Chantelle",
	"Kayla", "Latoya", "Renee",
};
static const char *const caribbean_s[] = {
	"Campbell", "Brown", "Williams", "Thomas", "Clarke", "Francis", "Grant", "Reid", "Johnson", "Henry",
	"Bennett", "Wright", "Lewis", "McKenzie", "Gordon", "Stewart", "Morgan", "Edwards",
};

static const char *const chinese_m[] = {
	"Wei", "Jun", "Hao", "Ethan", "Kevin", "Yuxuan", "Zihan", "Haoran", "Jason", "Ryan", "Jiahao",
	"Zhiwei",
};
static const char *const chinese_f[] = {
	"Mei", "Xinyi", "Jing", "Yan", "Chloe", "Grace", "Ying", "Yutong", "Zoe", "Emily", "Ling",
	"Xiaoling",
};
static const char *const chinese_s[] = {
	"Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong", "Chan", "Lee", "Lam", "Cheung", "Ng",
	"Yang", "Zhao", "Lin", "Zhou",
};

#define LIST(a) a, N(a)

/* Weights: roughly a large English city's school population. */
const struct synth_group synth_groups[] = {
	{"english", 42, LIST(english_m), LIST(english_f), LIST(english_s), 65, NULL, NULL, 0},
	{"irish", 4, LIST(irish_m), LIST(irish_f), LIST(irish_s), 55, NULL, NULL, 0},
	{"polish", 6, LIST(polish_m), LIST(polish_f), LIST(polish_s), 20, NULL, NULL, 0},
	{"romanian", 4, LIST(romanian_m), LIST(romanian_f), LIST(romanian_s), 25, NULL, NULL, 0},
	{"pakistani", 11, LIST(pakistani_m), LIST(pakistani_f), LIST(pakistani_s), 45, NULL, NULL, 0},
	{"bangladeshi", 5, LIST(bangladeshi_m), LIST(bangladeshi_f), LIST(bangladeshi_s), 40, NULL, NULL, 0},
	{"sikh", 3, LIST(sikh_m), LIST(sikh_f), LIST(sikh_s), 100, "Singh", "Kaur", 25},
	{"hindu", 4, LIST(hindu_m), LIST(hindu_f), LIST(hindu_s), 35, NULL, NULL, 0},
	{"nigerian", 5, LIST(nigerian_m), LIST(nigerian_f), LIST(nigerian_s), 60, NULL, NULL, 0},
	{"somali", 4, LIST(somali_m), LIST(somali_f), LIST(somali_s), 50, NULL, NULL, 0},
	{"caribbean", 5, LIST(caribbean_m), LIST(caribbean_f), LIST(caribbean_s), 55, NULL, NULL, 0},
	{"chinese", 3, LIST(chinese_m), LIST(chinese_f), LIST(chinese_s), 30, NULL, NULL, 0},
};
const unsigned synth_ngroups = N(synth_groups);

/* ---- errors people make when they write a name down ---- */

const struct synth_alias synth_aliases[] = {
	{"William", {"Bill", "Billy", "Will", "Liam", NULL}},
	{"Elizabeth", {"Beth", "Liz", "Lizzie", "Eliza", NULL}},
	{"Thomas", {"Tom", "Tommy", NULL}},
	{"James", {"Jim", "Jamie", NULL}},
	{"Joshua", {"Josh", NULL}},
	{"Alexander", {"Alex", "Xander", NULL}},
	{"Benjamin", {"Ben", "Benji", NULL}},
	{"Matthew", {"Matt", NULL}},
	{"Edward", {"Ed", "Eddie", "Ted", NULL}},
	{"Christopher", {"Chris", NULL}},
	{"Michael", {"Mike", "Mikey", "Mick", NULL}},
	{"Robert", {"Rob", "Bob", "Bobby", NULL}},
	{"Daniel", {"Dan", "Danny", NULL}},
	{"Samuel", {"Sam", "Sammy", NULL}},
	{"Joseph", {"Joe", "Joey", NULL}},
	{"Nathan", {"Nate", NULL}},
	{"Frederick", {"Fred", "Freddie", NULL}},
	{"Charles", {"Charlie", "Chas", NULL}},
	{"Henry", {"Harry", "Hal", NULL}},
	{"Oliver", {"Ollie", NULL}},
	{"Jacob", {"Jake", NULL}},
	{"Callum", {"Cal", NULL}},
	{"Olivia", {"Liv", "Livvy", NULL}},
	{"Sophia", {"Sophie", NULL}},
	{"Isabella", {"Bella", "Izzy", NULL}},
	{"Amelia", {"Millie", "Amy", NULL}},
	{"Charlotte", {"Lottie", "Charlie", NULL}},
	{"Katherine", {"Kate", "Katie", "Kat", NULL}},
	{"Rebecca", {"Becky", "Becca", NULL}},
	{"Abigail", {"Abbie", "Abby", NULL}},
	{"Samantha", {"Sam", "Sammy", NULL}},
	{"Jennifer", {"Jen", "Jenny", NULL}},
	{"Victoria", {"Vicky", "Tori", NULL}},
	{"Margaret", {"Maggie", "Peggy", NULL}},
	{"Eleanor", {"Ellie", "Nell", NULL}},
	{"Alexandra", {"Alex", "Lexi", "Sasha", NULL}},
	{"Harriet", {"Hattie", NULL}},
	{"Jessica", {"Jess", NULL}},
	{"Patrick", {"Paddy", "Pat", NULL}},
	{"Padraig", {"Paddy", NULL}},
	{"Bridget", {"Bridie", NULL}},
	{"Mohammed", {"Mo", "Moe", NULL}},
	{"Muhammad", {"Mo", NULL}},
	{"Mohamed", {"Mo", NULL}},
	{"Abdullah", {"Abdul", NULL}},
	{"Abdirahman", {"Abdi", NULL}},
	{"Abdullahi", {"Abdi", NULL}},
	{"Zakariya", {"Zak", NULL}},
	{"Zakaria", {"Zak", NULL}},
	{"Ibrahim", {"Ibby", NULL}},
	{"Khadija", {"Dija", NULL}},
	{"Jaspreet", {"Jas", NULL}},
	{"Gurpreet", {"Preet", NULL}},
	{"Navdeep", {"Nav", NULL}},
	{"Harpreet", {"Harps", NULL}},
	{"Chukwuemeka", {"Emeka", NULL}},
	{"Oluwaseun", {"Seun", NULL}},
	{"Oluwatobi", {"Tobi", "Tobe", NULL}},
	{"Oluwatoyin", {"Toyin", NULL}},
	{"Temitope", {"Temi", "Tope", NULL}},
	{"Ayomide", {"Ayo", NULL}},
	{"Ifeoma", {"Ify", NULL}},
	{"Funmilayo", {"Funmi", NULL}},
	{"Emmanuel", {"Manny", NULL}},
	{"Aleksandra", {"Ola", "Ala", NULL}},
	{"Katarzyna", {"Kasia", NULL}},
	{"Małgorzata", {"Gosia", NULL}},
	{"Aleksander", {"Olek", NULL}},
	{"Jakub", {"Kuba", NULL}},
	{"Wojciech", {"Wojtek", NULL}},
	{"Zuzanna", {"Zuzia", NULL}},
	{"Agnieszka", {"Aga", NULL}},
	{"Magdalena", {"Magda", NULL}},
	{"Franciszek", {"Franek", NULL}},
	{"Alexandru", {"Alex", NULL}},
	{"Nathaniel", {"Nate", "Nathan", NULL}},
	{"Malachi", {"Mal", NULL}},
	{"Chantelle", {"Chan", NULL}},
	{"Xiaoling", {"Ling", NULL}},
};
const unsigned synth_naliases = N(synth_aliases);

const struct synth_translit synth_translits[] = {
	{{"Mohammed", "Muhammad", "Mohamed", "Mohammad", "Muhammed", NULL}},
	{{"Aisha", "Ayesha", "Aysha", "Aiysha", NULL}},
	{{"Yusuf", "Yousef", "Yusef", "Yousuf", NULL}},
	{{"Hussain", "Hussein", "Husain", "Hossain", NULL}},
	{{"Fatima", "Fatimah", "Fathima", NULL}},
	{{"Zainab", "Zaynab", "Zaineb", NULL}},
	{{"Ibrahim", "Ebrahim", "Ibraheem", NULL}},
	{{"Abdullah", "Abdallah", "Abdulla", NULL}},
	{{"Abdullahi", "Abdilahi", "Cabdullahi", NULL}},
	{{"Umar", "Omar", NULL}},
	{{"Usman", "Osman", "Uthman", NULL}},
	{{"Zakariya", "Zakaria", "Zakariyya", "Zachariah", NULL}},
	{{"Hamza", "Hamzah", NULL}},
	{{"Maryam", "Mariam", "Mariyam", NULL}},
	{{"Khadija", "Khadijah", "Khadeeja", NULL}},
	{{"Amina", "Aminah", "Ameena", NULL}},
	{{"Abdirahman", "Abdulrahman", "Abdurahman", "Cabdiraxmaan", NULL}},
	{{"Fadumo", "Fatuma", "Fadma", NULL}},
	{{"Mustafe", "Mustafa", NULL}},
	{{"Ahmed", "Ahmad", "Ahmet", NULL}},
	{{"Rahman", "Rehman", NULL}},
	{{"Chowdhury", "Choudhury", "Chaudhry", "Chaudhary", "Choudhry", NULL}},
	{{"Qureshi", "Kureshi", "Quraishi", NULL}},
	{{"Mahmood", "Mahmud", "Mehmood", NULL}},
	{{"Iqbal", "Ikbal", NULL}},
	{{"Akhtar", "Akhter", NULL}},
	{{"Uddin", "Udin", "Ud-Din", NULL}},
	{{"Hoque", "Haque", "Huq", NULL}},
	{{"Miah", "Mia", "Meah", NULL}},
	{{"Sumaiya", "Sumaya", "Sumayyah", NULL}},
	{{"Tasnim", "Tasneem", NULL}},
	{{"Eman", "Iman", NULL}},
	{{"Noor", "Nur", NULL}},
	{{"Hafsa", "Hafsah", NULL}},
	{{"Hassan", "Hasan", NULL}},
	{{"Ismail", "Ismael", "Esmail", NULL}},
	{{"Rayyan", "Rayan", "Raiyan", NULL}},
	{{"Idris", "Idrees", NULL}},
	{{"Haris", "Harris", NULL}},
	{{"Islam", "Islaam", NULL}},
	{{"Hodan", "Xodan", NULL}},
	{{"Sahra", "Sahro", "Zahra", NULL}},
	{{"Wiśniewski", "Wisniewski", NULL}},
	{{"Wójcik", "Wojcik", NULL}},
	{{"Kamiński", "Kaminski", NULL}},
	{{"Zieliński", "Zielinski", NULL}},
	{{"Szymański", "Szymanski", NULL}},
	{{"Woźniak", "Wozniak", NULL}},
	{{"Dąbrowski", "Dabrowski", NULL}},
	{{"Kozłowski", "Kozlowski", NULL}},
	{{"Wiśniewska", "Wisniewska", NULL}},
	{{"Kamińska", "Kaminska", NULL}},
	{{"Zielińska", "Zielinska", NULL}},
	{{"Szymańska", "Szymanska", NULL}},
	{{"Dąbrowska", "Dabrowska", NULL}},
	{{"Kozłowska", "Kozlowska", NULL}},
	{{"Michał", "Michal", NULL}},
	{{"Małgorzata", "Malgorzata", NULL}},
	{{"Ionut", "Ionuț", NULL}},
	{{"Stefan", "Ștefan", NULL}},
	{{"Sean", "Shaun", "Shawn", NULL}},
	{{"Niamh", "Neve", "Neave", NULL}},
	{{"Oisin", "Oisín", NULL}},
	{{"Roisin", "Róisín", "Rosheen", NULL}},
	{{"Li", "Lee", NULL}},
	{{"Zhou", "Chow", NULL}},
	{{"Wang", "Wong", NULL}},
	{{"Chukwuemeka", "Chukwuemeke", NULL}},
	{{"Olamide", "Olamidé", NULL}},
};
const unsigned synth_ntranslits = N(synth_translits);

const struct synth_alias *synth_alias_find(const char *name)
{
	for (unsigned i = 0; i < synth_naliases; i++)
		if (strcmp(synth_aliases[i].name, name) == 0)
			return &synth_aliases[i];
	return NULL;
}

const struct synth_translit *synth_translit_find(const char *name)
{
	for (unsigned i = 0; i < synth_ntranslits; i++)
		for (unsigned j = 0; synth_translits[i].v[j]; j++)
			if (strcmp(synth_translits[i].v[j], name) == 0)
				return &synth_translits[i];
	return NULL;
}

/* ---- where they live ---- */

const char *const synth_street_stems[] = {
	"Victoria", "Church", "Station", "Park", "Mill", "Albert", "King", "Chapel", "Grange", "Oak",
	"Elm", "Beech", "Highfield", "Springfield", "Manor", "Green", "Meadow", "Westfield", "Orchard",
	"Windsor", "York", "Clarence", "Cavendish", "Brunswick", "Stanley", "Alexandra", "Belgrave",
	"Moorland", "Woodhouse", "Heathfield", "Shakespeare", "Milton", "Tennyson", "Nelson", "Wellington",
	"Cromwell", "Gladstone", "Granby", "Hartley", "Ashgrove", "Cardigan", "Bankside", "Queen's",
	"St John's", "Coronation", "Jubilee", "Hawthorn", "Rosebery", "Carlton", "Newport", "Alma",
	"Raglan", "Balmoral", "Sandringham", "Lime", "Poplar", "Willow", "Cedar", "Ferndale", "Lindley",
};
const unsigned synth_nstreet_stems = N(synth_street_stems);

const char *const synth_street_kinds[] = {
	"Road", "Street", "Avenue", "Lane", "Close", "Grove", "Terrace", "Place", "Crescent", "Drive",
	"Way", "Gardens", "Mount", "View", "Walk",
};
const unsigned synth_nstreet_kinds = N(synth_street_kinds);

/* DfE LA numbers with postcode districts inside each authority. */
const struct synth_area synth_areas[] = {
	{383, {"LS6", "LS7", "LS8", "LS9", "LS11", "LS12", "LS14", NULL}},  /* Leeds */
	{330, {"B8", "B9", "B10", "B11", "B12", "B19", "B21", NULL}},        /* Birmingham */
	{202, {"NW1", "NW3", "NW5", "NW6", "N19", "WC1N", NULL}},           /* Camden */
	{801, {"BS2", "BS3", "BS4", "BS5", "BS7", "BS13", NULL}},           /* Bristol */
	{800, {"BA1", "BA2", "BS31", "BS39", NULL}},                        /* Bath and North East Somerset */
	{935, {"IP1", "IP2", "IP3", "IP4", "IP14", "CO10", NULL}},          /* Suffolk */
};
const unsigned synth_nareas = N(synth_areas);

const int synth_other_las[] = {201, 202, 330, 383, 800, 801, 935};
const unsigned synth_nother_las = N(synth_other_las);

/* ---- what agencies write ---- */

static const struct synth_tmpl police[] = {
	{"concern", 0, 17, 0, 23, 3, "Officers attended a report of an argument at the address; child seen and appeared safe."},
	{"concern", 0, 17, 0, 23, 2, "Neighbour reported shouting at the address; no offences disclosed. Child present."},
	{"concern", 8, 17, 20, 23, 2, "Child found in the street late at night by officers and returned home."},
	{"concern", 11, 17, 15, 23, 2, "Child seen in the company of older males not known to the family; intelligence submitted."},
	{"police_callout", 0, 17, 0, 23, 3, "Call-out to the address following a noise complaint; adults intoxicated, child present."},
	{"police_callout", 0, 17, 0, 23, 2, "Officers attended after a 999 call was disconnected; parent said it was a misdial."},
	{"police_callout", 0, 17, 0, 23, 1, "Attended a welfare check requested by a relative; child asleep, home cold and untidy."},
	{"domestic_abuse_incident", 0, 17, 0, 23, 3, "Verbal altercation between adults at the address; child in the home. DASH: standard risk."},
	{"domestic_abuse_incident", 0, 17, 0, 23, 2, "Mother reported an assault by her partner; child present. DASH: medium risk."},
	{"domestic_abuse_incident", 0, 17, 0, 23, 1, "Ex-partner attended the address in breach of a non-molestation order; child present."},
	{"missing_start", 10, 17, 16, 23, 3, "Reported missing by parent after failing to return home from school."},
	{"missing_start", 10, 17, 18, 23, 2, "Did not return home overnight; located the next day at a friend's house."},
};

static const struct synth_tmpl health[] = {
	{"unscheduled_care", 0, 17, 0, 23, 3, "Attended A&E with breathing difficulty; treated and discharged."},
	{"unscheduled_care", 0, 17, 0, 23, 2, "Attended A&E with a burn to the hand; account of injury consistent."},
	{"unscheduled_care", 1, 6, 0, 23, 2, "Attended A&E after swallowing tablets found at home; observed and discharged."},
	{"unscheduled_care", 4, 17, 8, 22, 2, "Attended A&E with a fractured wrist after a fall from a trampoline."},
	{"unscheduled_care", 12, 17, 18, 23, 2, "Brought to A&E intoxicated by ambulance; discharged to parent the next morning."},
	{"injury", 0, 17, 9, 17, 2, "Bruise to the cheek noted by health visitor; parent described a fall."},
	{"injury", 0, 17, 9, 17, 2, "Small burn on the forearm noted at clinic; parent said it came from a radiator."},
	{"concern", 0, 4, 9, 17, 3, "Health visitor concerned about the condition of the home and the child's weight."},
	{"concern", 0, 17, 9, 17, 2, "Missed three immunisation appointments; not brought to clinic."},
	{"concern", 2, 17, 9, 17, 2, "Dental decay noted; child not registered with a dentist."},
	{"gp_appointment", 0, 17, 8, 18, 3, "Seen by GP for a chest infection; antibiotics prescribed."},
	{"gp_appointment", 0, 17, 8, 18, 2, "Not brought to a booked GP appointment."},
	{"gp_appointment", 3, 17, 8, 18, 2, "Seen by GP for recurring stomach aches; referred for blood tests."},
	{"gp_appointment", 11, 17, 8, 18, 1, "Seen by GP for low mood and poor sleep; referred to CAMHS."},
};

static const struct synth_tmpl education[] = {
	{"concern", 4, 17, 8, 15, 3, "Child arrived at school hungry and in unwashed uniform."},
	{"concern", 4, 17, 8, 15, 2, "Child told a teacher there had been shouting at home."},
	{"concern", 4, 17, 8, 15, 2, "Staff noticed a bruise on the arm during PE; child said they fell."},
	{"concern", 4, 11, 14, 16, 2, "Not collected at the end of the school day; a relative came at 5pm."},
	{"school_absence", 4, 17, 9, 12, 3, "Attendance below 85% this half-term; parent not answering calls."},
	{"school_absence", 4, 17, 9, 12, 2, "Absent for five days in a row without explanation."},
	{"school_exclusion", 5, 17, 11, 15, 2, "Suspended for two days after a physical altercation with another pupil."},
	{"school_exclusion", 5, 17, 11, 15, 1, "Suspended for one day for persistent disruptive behaviour."},
};

static const struct synth_tmpl social_care[] = {
	{"referral", 4, 17, 9, 17, 2, "Referral received from school regarding concerns of neglect."},
	{"referral", 0, 17, 9, 17, 2, "Referral received from police following a domestic abuse incident."},
	{"referral", 0, 4, 9, 17, 2, "Referral from health visitor about home conditions and missed appointments."},
	{"contact", 0, 17, 9, 17, 2, "Contact from a member of the public worried that the children are left alone."},
	{"contact", 0, 17, 9, 17, 2, "Contact from a relative concerned about parental drinking."},
	{"visit", 0, 17, 9, 18, 2, "Home visit; child seen. Home conditions adequate, food in the cupboards."},
	{"visit", 5, 17, 9, 18, 2, "Home visit; child seen alone and spoke about school and friends."},
	{"visit", 0, 17, 9, 18, 1, "Unannounced home visit; no answer at the door. Card left."},
	{"assessment_start", 0, 17, 9, 17, 2, "Child and family assessment started following referral."},
	{"assessment_start", 0, 17, 9, 17, 1, "Single assessment opened and allocated to a social worker."},
};

static const struct synth_tmpl housing[] = {
	{"concern", 0, 17, 9, 16, 2, "Tenancy officer found the property in a poor state with a strong smell."},
	{"concern", 0, 17, 9, 16, 2, "Neighbours reported frequent disturbances at the property late at night."},
	{"concern", 0, 17, 9, 16, 1, "Repairs team reported damp and mould in the child's bedroom."},
	{"housing_notice", 0, 17, 9, 16, 2, "Notice seeking possession served for rent arrears."},
	{"housing_notice", 0, 17, 9, 16, 2, "Family reported a no-fault eviction notice from their landlord."},
	{"housing_notice", 0, 17, 9, 16, 1, "Family placed in temporary accommodation after eviction."},
};

const struct synth_tmpl_set synth_tmpls[SYNTH_NAGENCY] = {
	[SYNTH_POLICE] = {police, N(police)},
	[SYNTH_HEALTH] = {health, N(health)},
	[SYNTH_EDUCATION] = {education, N(education)},
	[SYNTH_SOCIAL_CARE] = {social_care, N(social_care)},
	[SYNTH_HOUSING] = {housing, N(housing)},
};
