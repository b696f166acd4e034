/*
 * synth/people2_names.c — the name lists of the second generator (synth/people2.h). Its own lists, chosen
 * apart from synth/names.c: given names and surnames common in England's schools today for traditions
 * the first generator does not draw on (and a modern English list), each in popularity order. The
 * syllable generator in people2.c adds names that appear in no list at all.
 */
#include "synth/people2_int.h"

#include <stddef.h>

#define N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

static const char *const en_m[] = {
	"Theo", "Arlo", "Finley", "Reggie", "Albie", "Ronnie", "Tommy", "Frankie", "Teddy", "Louie", "Rory",
	"Max", "Toby", "Elliot", "Jenson", "Harrison", "Ezra", "Jude", "Hugo", "Sonny", "Stanley", "Otis",
	"Bobby", "Jesse", "Kai", "Caleb", "Zachary", "Isaac", "Felix", "Dexter", "Blake", "Carter", "Hunter",
	"Brody", "Owen", "Aaron", "Adam", "Bradley", "Jordan", "Jamie", "Kyle", "Luke", "Ryan", "Shane",
	"Nathaniel", "Sebastian", "Christian", "Dominic", "Gabriel", "Anthony", "Jonathan", "Timothy",
};
static const char *const en_f[] = {
	"Willow", "Luna", "Ivy", "Rosie", "Florence", "Daisy", "Evelyn", "Sienna", "Phoebe", "Millie",
	"Matilda", "Esme", "Violet", "Maisie", "Ellie", "Harper", "Imogen", "Aria", "Layla", "Scarlett", "Thea",
	"Hallie", "Lola", "Darcie", "Bonnie", "Nancy", "Edith", "Ada", "Iris", "Mabel", "Hazel", "Kayla",
	"Leah", "Zara", "Erin", "Hannah", "Lucy", "Anna", "Georgia", "Tia", "Demi", "Kelsey", "Shannon",
	"Penelope", "Josephine", "Annabelle", "Gabriella", "Madeleine", "Frances", "Caroline",
};
static const char *const en_s[] = {
	"Bennett", "Mitchell", "Carter", "Parker", "Bailey", "Collins", "Bell", "Murray", "Cook", "Rogers",
	"Morgan", "Cox", "Richardson", "Foster", "Gray", "Ellis", "Graham", "Kennedy", "Gibson", "Wells",
	"Holland", "Barnes", "Fisher", "Henderson", "Marshall", "Owen", "Chapman", "Webb", "Rose", "Mills",
	"Hunt", "Palmer", "Mason", "Lawrence", "Hart", "Knight", "Reid", "Dixon", "Burton", "Fox", "Porter",
	"Hudson", "Kemp", "Pearce", "Booth", "Hardy", "Lamb", "Nash", "Spencer", "Stone", "Wade", "Walton",
	"Hodgson", "Briggs", "Naylor", "Horsfall", "Ackroyd", "Crowther", "Smith", "Jones", "Brown", "Taylor",
};

static const char *const uk_m[] = {
	"Oleksandr", "Mykola", "Andriy", "Dmytro", "Bohdan", "Taras", "Yaroslav", "Oleh", "Serhiy", "Vasyl",
	"Maksym", "Artem", "Danylo", "Ivan", "Yurii", "Roman", "Volodymyr", "Mykhailo",
};
static const char *const uk_f[] = {
	"Olena", "Oksana", "Iryna", "Nataliya", "Yuliya", "Kateryna", "Sofiya", "Anastasiya", "Viktoriya",
	"Daryna", "Khrystyna", "Solomiya", "Mariya", "Halyna", "Tetyana", "Liliya",
};
static const char *const uk_s[] = {
	"Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Oliynyk", "Shevchuk", "Polishchuk",
	"Lysenko", "Marchenko", "Rudenko", "Savchenko", "Petrenko", "Moroz", "Kovalchuk", "Melnyk", "Boyko",
	"Tkachuk", "Hrytsenko", "Kuzmenko",
};

static const char *const tr_m[] = {
	"Mehmet", "Mustafa", "Emre", "Burak", "Kerem", "Eren", "Arda", "Baran", "Efe", "Deniz", "Omer", "Onur",
	"Cem", "Berk", "Yigit", "Hakan", "Murat", "Serkan",
};
static const char *const tr_f[] = {
	"Elif", "Zeynep", "Ayse", "Esra", "Merve", "Ebru", "Defne", "Ecem", "Selin", "Ilayda", "Nisa",
	"Yasemin", "Hatice", "Sevgi", "Buse", "Gizem",
};
static const char *const tr_s[] = {
	"Yilmaz", "Kaya", "Demir", "Sahin", "Celik", "Yildiz", "Yildirim", "Ozturk", "Aydin", "Ozdemir",
	"Arslan", "Dogan", "Kilic", "Aslan", "Cetin", "Kara", "Koc", "Kurt", "Ozkan", "Simsek",
};

static const char *const wa_m[] = {
	"Ayodele", "Babatunde", "Olumide", "Adebayo", "Oluwafemi", "Tunde", "Chinedu", "Obinna", "Ikenna",
	"Chidi", "Kelechi", "Nnamdi", "Uchenna", "Damilare", "Ifeanyi", "Oluwadamilola", "Tobiloba", "Somto",
};
static const char *const wa_f[] = {
	"Adaeze", "Chiamaka", "Ngozi", "Nkechi", "Chioma", "Folake", "Yetunde", "Bukola", "Adunni", "Morenike",
	"Titilayo", "Oyinkansola", "Eniola", "Amarachi", "Ifeoluwa", "Chinonso",
};
static const char *const wa_s[] = {
	"Adeyemi", "Okafor", "Eze", "Nwosu", "Balogun", "Ogunleye", "Oyelaran", "Afolabi", "Okeke", "Chukwu",
	"Onyekachi", "Olawale", "Akinola", "Obi", "Nwachukwu", "Uzoma", "Adesanya", "Ogundipe", "Ibekwe",
	"Onuoha",
};

static const char *const ta_m[] = {
	"Arjun", "Karthik", "Vignesh", "Senthil", "Pranav", "Harish", "Dinesh", "Suresh", "Ganesh", "Aravind",
	"Thiru", "Kavin", "Sanjay", "Vishnu", "Prakash", "Ramesh",
};
static const char *const ta_f[] = {
	"Priyanka", "Divya", "Lakshmi", "Kavya", "Meena", "Nithya", "Abinaya", "Sangeetha", "Keerthana",
	"Janani", "Anjali", "Shalini", "Thenmozhi", "Revathi", "Malathi",
};
static const char *const ta_s[] = {
	"Subramaniam", "Krishnan", "Rajendran", "Murugan", "Sivakumar", "Balasubramaniam", "Ramasamy",
	"Natarajan", "Selvaraj", "Kandasamy", "Thangavel", "Anandan", "Pillai", "Sundaram", "Arumugam",
};

static const char *const ar_m[] = {
	"Khaled", "Omar", "Youssef", "Karim", "Tariq", "Samir", "Faisal", "Nabil", "Rami", "Bassam", "Walid",
	"Majid", "Jamal", "Ziad", "Hadi", "Mahmoud", "Anas", "Bilal",
};
static const char *const ar_f[] = {
	"Layla", "Noor", "Rania", "Hala", "Yasmin", "Dana", "Salma", "Rasha", "Leen", "Jana", "Lina", "Aya",
	"Reem", "Maha", "Nour", "Ghada",
};
static const char *const ar_s[] = {
	"Haddad", "Khoury", "Nassar", "Saleh", "Hamdan", "Mansour", "Ibrahim", "Khalil", "Aziz", "Darwish",
	"Jaber", "Qasim", "Abboud", "Farouk", "Hijazi", "Najjar", "Shami", "Suleiman", "Hassan", "Awad",
};

static const char *const vi_m[] = {
	"Minh", "Duc", "Tuan", "Huy", "Khoa", "Long", "Phuc", "Quang", "Thanh", "Bao", "Dung", "Hieu", "Nam",
	"Vinh",
};
static const char *const vi_f[] = {
	"Linh", "Mai", "Lan", "Huong", "Thao", "Trang", "Ngoc", "Anh", "Hoa", "Yen", "Nhung", "Thu", "Vy",
	"Quynh",
};
static const char *const vi_s[] = {
	"Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do", "Ho", "Ngo",
	"Duong", "Ly",
};

static const char *const pt_m[] = {
	"Joao", "Tiago", "Rodrigo", "Goncalo", "Diogo", "Rafael", "Pedro", "Miguel", "Lucas", "Gustavo",
	"Guilherme", "Bernardo", "Vitor", "Afonso", "Henrique", "Duarte",
};
static const char *const pt_f[] = {
	"Beatriz", "Mariana", "Leonor", "Matilde", "Carolina", "Ines", "Raquel", "Joana", "Catarina",
	"Larissa", "Gabriela", "Leticia", "Fernanda", "Bruna", "Rita", "Vitoria",
};
static const char *const pt_s[] = {
	"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Jesus", "Sousa",
	"Fernandes", "Goncalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro", "Carvalho",
	"Teixeira",
};

static const char *const ak_m[] = {
	"Kwame", "Kofi", "Kwabena", "Kwaku", "Yaw", "Kojo", "Kwesi", "Nana", "Fiifi", "Ekow", "Kwadwo",
	"Kobina",
};
static const char *const ak_f[] = {
	"Ama", "Akosua", "Abena", "Adwoa", "Afia", "Yaa", "Esi", "Efua", "Akua", "Adjoa", "Araba", "Ekua",
};
static const char *const ak_s[] = {
	"Mensah", "Owusu", "Boateng", "Asante", "Osei", "Appiah", "Agyeman", "Acheampong", "Darko", "Ofori",
	"Amoah", "Danquah", "Quaye", "Sarpong", "Antwi", "Frimpong",
};

static const char *const ku_m[] = {
	"Rebin", "Shvan", "Karwan", "Hawre", "Aram", "Sherzad", "Zana", "Rekan", "Soran", "Hemin", "Dler",
	"Hoshyar",
};
static const char *const ku_f[] = {
	"Shilan", "Nazdar", "Rezan", "Avin", "Delal", "Berfin", "Hana", "Shirin", "Roza", "Zhina", "Sozan",
	"Parwin",
};
static const char *const ku_s[] = {
	"Mahmoud", "Rasul", "Hama", "Kareem", "Barzani", "Abdulla", "Omer", "Mustafa", "Qadir", "Hussein",
	"Faraj", "Salih", "Ismail", "Majeed",
};

static const char *const ti_m[] = {
	"Dawit", "Yonas", "Tesfay", "Berhane", "Mehari", "Filmon", "Robel", "Natnael", "Kibrom", "Abel",
	"Henok", "Biniam",
};
static const char *const ti_f[] = {
	"Selam", "Senait", "Winta", "Rahwa", "Luwam", "Feven", "Saba", "Mahlet", "Hiwet", "Eden", "Yordanos",
	"Ruth",
};
static const char *const ti_s[] = {
	"Tesfaye", "Gebremedhin", "Haile", "Tekle", "Berhe", "Kidane", "Ghebre", "Yohannes", "Woldu",
	"Asmerom", "Mebrahtu", "Habte", "Tsegay", "Negash",
};

static const char *const pk_m[] = {
	"Rayyan", "Arham", "Sameer", "Faizan", "Danyal", "Shayan", "Rehan", "Hasnain", "Saad", "Talha",
	"Waleed", "Junaid", "Asad", "Mohsin", "Fahad", "Kashif",
};
static const char *const pk_f[] = {
	"Hiba", "Anaya", "Eman", "Haniya", "Iqra", "Mahnoor", "Aleena", "Areeba", "Sana", "Mehreen", "Rida",
	"Zoya", "Alishba", "Hafsa", "Samina",
};
static const char *const pk_s[] = {
	"Iqbal", "Riaz", "Mahmood", "Rashid", "Nawaz", "Mirza", "Butt", "Qureshi", "Malik", "Sheikh", "Javed",
	"Aslam", "Rafiq", "Shafiq", "Anwar", "Younis", "Siddiqui", "Hanif",
};

#define T(code, w, m, f, s, sf, db) {code, w, m, N(m), f, N(f), s, N(s), sf, db}
const struct p2_tradition p2_traditions[] = {
	T("english", 44, en_m, en_f, en_s, 0, 0),
	T("ukrainian", 5, uk_m, uk_f, uk_s, 0, 0),
	T("turkish", 5, tr_m, tr_f, tr_s, 0, 0),
	T("west_african", 8, wa_m, wa_f, wa_s, 0, 0),
	T("tamil", 4, ta_m, ta_f, ta_s, 0, 0),
	T("arabic", 6, ar_m, ar_f, ar_s, 0, 0),
	T("vietnamese", 3, vi_m, vi_f, vi_s, 1, 0),
	T("portuguese", 5, pt_m, pt_f, pt_s, 0, 1),
	T("akan", 4, ak_m, ak_f, ak_s, 0, 0),
	T("kurdish", 3, ku_m, ku_f, ku_s, 0, 0),
	T("tigrinya", 3, ti_m, ti_f, ti_s, 1, 0),
	T("pakistani", 10, pk_m, pk_f, pk_s, 0, 0),
};
const unsigned p2_ntraditions = N(p2_traditions);

const char *const p2_streets[] = {
	"Acacia", "Larch", "Rowan", "Sycamore", "Hornbeam", "Juniper", "Laburnum", "Magnolia", "Alder", "Aspen",
	"Bramble", "Chestnut", "Foxglove", "Heather", "Holly", "Ivy", "Lavender", "Linden", "Maple", "Mulberry",
	"Primrose", "Rosemary", "Sorrel", "Thistle", "Bluebell", "Campion", "Daffodil", "Kingfisher", "Heron",
	"Swallow", "Lapwing", "Skylark", "Curlew", "Plover", "Kestrel", "Merlin", "Falcon", "Osprey", "Wren",
	"Ashby", "Barlow", "Calder", "Denby", "Elland", "Fenwick", "Garforth", "Halton", "Ilkley", "Keighley",
	"Lofthouse", "Morley", "Netherton", "Ossett", "Pudsey", "Rothwell", "Shipley", "Thornton", "Wetherby",
	"Yeadon", "Marsh", "Quarry", "Tannery", "Foundry", "Weavers", "Ropewalk", "Canal", "Wharf", "Forge",
};
const unsigned p2_nstreets = N(p2_streets);

/* Street kinds, full and as some systems abbreviate them. */
const char *const p2_kinds[][2] = {
	{"Road", "Rd"},	   {"Street", "St"}, {"Avenue", "Ave"}, {"Lane", "Ln"},	 {"Close", "Cl"},
	{"Drive", "Dr"},   {"Court", "Ct"},  {"Rise", "Rise"},  {"Crescent", "Cres"}, {"Gardens", "Gdns"},
	{"Terrace", "Ter"}, {"Way", "Way"},  {"Fold", "Fold"},  {"Croft", "Croft"}, {"Square", "Sq"},
};
const unsigned p2_nkinds = N(p2_kinds);

const char *const p2_localities[] = {
	"Northfield", "Eastgate", "Westwood", "Southend", "Hillside", "Riverside", "Parkside", "Moorside",
	"Brookfield", "Oakwood",
};
const unsigned p2_nlocalities = N(p2_localities);

/* Areas: a DfE LA number and postcode districts of it. */
const struct p2_area p2_areas[] = {
	{352, {"M8", "M9", "M11", "M12", "M13", "M14", "M16", "M18", "M19", "M40", NULL}}, /* Manchester */
	{856, {"LE1", "LE2", "LE3", "LE4", "LE5", NULL}},                                 /* Leicester */
	{373, {"S2", "S3", "S4", "S5", "S8", "S9", "S13", NULL}},                         /* Sheffield */
	{331, {"CV1", "CV2", "CV3", "CV4", "CV5", "CV6", NULL}},                          /* Coventry */
	{391, {"NE1", "NE2", "NE4", "NE5", "NE6", "NE15", NULL}},                         /* Newcastle */
	{821, {"LU1", "LU2", "LU3", "LU4", NULL}},                                        /* Luton */
	{810, {"HU3", "HU4", "HU5", "HU7", "HU8", "HU9", NULL}},                          /* Hull */
};
const unsigned p2_nareas = N(p2_areas);
